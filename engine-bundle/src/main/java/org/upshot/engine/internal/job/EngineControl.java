package org.upshot.engine.internal.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.upshot.engine.internal.api.ControlException;
import org.upshot.engine.internal.api.ControlException.Reason;
import org.upshot.engine.internal.api.JobControl;
import org.upshot.engine.internal.event.Blocked;
import org.upshot.engine.internal.event.EngineEvents;
import org.upshot.engine.internal.api.SourceStatus;
import org.upshot.engine.internal.journal.Journal;
import org.upshot.engine.internal.match.Environ;
import org.upshot.event.Event;
import org.upshot.event.EventResult;
import org.upshot.event.RunPriority;
import org.upshot.job.InstanceView;
import org.upshot.job.JobGoal;
import org.upshot.job.JobView;
import org.upshot.job.ProcessKind;

/**
 * {@link JobControl} on top of the engine: each call posts one request to the engine
 * thread and answers through a stage, with Upstart's error texts.
 */
public final class EngineControl implements JobControl {

    private final Engine engine;
    private final Supplier<CompletionStage<Void>> reloader;
    private final Supplier<List<String>> pluginEvents;
    private final Supplier<List<String>> fileProblems;
    private final Function<PowerAction, CompletionStage<Void>> shutdown;

    /**
     * An engine that cannot shut the system down (tests, benchmarks): {@code reboot},
     * {@code halt} and {@code poweroff} fail.
     *
     * @param reloader rereads the configuration directories and hands the result to the
     *     engine; called for {@code reload-configuration}
     * @param pluginEvents the events the installed plugins declare; any thread
     * @param fileProblems the job files that do not parse, rendered; any thread
     */
    public EngineControl(Engine engine, Supplier<CompletionStage<Void>> reloader,
            Supplier<List<String>> pluginEvents, Supplier<List<String>> fileProblems) {
        this(engine, reloader, pluginEvents, fileProblems, action -> CompletableFuture.failedFuture(
                new ControlException(Reason.FAILED, "This daemon cannot shut the system down")));
    }

    /**
     * @param shutdown begins the daemon's shutdown; called for {@code reboot}, {@code halt}
     *     and {@code poweroff}
     */
    public EngineControl(Engine engine, Supplier<CompletionStage<Void>> reloader,
            Supplier<List<String>> pluginEvents, Supplier<List<String>> fileProblems,
            Function<PowerAction, CompletionStage<Void>> shutdown) {
        this.engine = engine;
        this.reloader = reloader;
        this.pluginEvents = pluginEvents;
        this.fileProblems = fileProblems;
        this.shutdown = shutdown;
    }

    private interface Action<T> {
        void run(CompletableFuture<T> answer);
    }

    /** Runs {@code action} on the engine thread; a ControlException it throws fails the stage. */
    private <T> CompletionStage<T> call(Action<T> action) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        engine.request(() -> {
            try {
                action.run(answer);
            } catch (ControlException | IllegalArgumentException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    @Override
    public CompletionStage<InstanceView> start(String job, List<String> env, boolean wait) {
        return call(answer -> {
            JobEntry entry = entry(job);
            if (entry.deleted()) {
                // only its running instances are left: no new one starts
                throw new ControlException(Reason.UNKNOWN_JOB, "Unknown job: " + job);
            }
            if (engine.registry().shuttingDown()) {
                throw new ControlException(Reason.FAILED, "The daemon is shutting down: " + job + " is not started");
            }
            List<String> instanceEnv = requestEnvironment(entry, env);
            Job instance = engine.registry().instanceFor(entry, instanceName(entry, instanceEnv), instanceEnv);
            if (instance.goal() != JobGoal.STOP) {
                throw new ControlException(Reason.ALREADY_RUNNING, "Job is already running: "
                        + instance.displayName());
            }
            send(answer, instance, wait, "Job failed to start",
                    waiters -> new JobInput.Start(instanceEnv, waiters, List.of(), RunPriority.NORMAL));
        });
    }

    @Override
    public CompletionStage<InstanceView> stop(String job, List<String> env, boolean wait) {
        return call(answer -> {
            Job instance = existing(job, env);
            if (instance.goal() == JobGoal.STOP) {
                throw new ControlException(Reason.ALREADY_STOPPED, "Job has already been stopped: "
                        + instance.displayName());
            }
            send(answer, instance, wait, "Job failed while stopping", waiters -> new JobInput.Stop(env, waiters));
        });
    }

    @Override
    public CompletionStage<InstanceView> restart(String job, List<String> env, boolean wait) {
        return call(answer -> {
            Job instance = existing(job, env);
            if (instance.goal() == JobGoal.STOP) {
                throw new ControlException(Reason.ALREADY_STOPPED, "Job has already been stopped: "
                        + instance.displayName());
            }
            send(answer, instance, wait, "Job failed to restart", JobInput.Restart::new);
        });
    }

    /**
     * Sends the instance the input {@code input} makes; with {@code wait} the answer comes
     * once it is at rest (failing with {@code failure} if the job failed), else at once.
     */
    private static void send(CompletableFuture<InstanceView> answer, Job instance, boolean wait, String failure,
            Function<List<Blocked>, JobInput> input) {
        List<Blocked> waiters = wait ? List.of(failed -> settle(answer, instance, failed, failure)) : List.of();
        instance.handle(input.apply(waiters));
        if (!wait) {
            answer.complete(instance.view());
        }
    }

    @Override
    public CompletionStage<InstanceView> reload(String job, List<String> env) {
        return call(answer -> {
            Job instance = existing(job, env);
            Integer main = instance.pid(ProcessKind.MAIN).orElse(null);
            if (main == null) {
                throw new ControlException(Reason.NOT_RUNNING, "Job is not running: " + instance.displayName());
            }
            // asked before the signal, so that a daemon quick to answer is not missed
            Optional<CompletionStage<Void>> reloaded = instance.reloadWatch(main);
            engine.signal(main, instance.jobClass().reloadSignal());
            if (reloaded.isEmpty()) {
                answer.complete(instance.view());
                return;
            }
            reloaded.get().whenComplete((nothing, error) -> engine.request(() -> {
                if (error == null) {
                    answer.complete(instance.view());
                } else {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    answer.completeExceptionally(new ControlException(Reason.FAILED, "Job failed to reload: "
                            + instance.displayName() + ": " + cause.getMessage()));
                }
            }));
        });
    }

    @Override
    public CompletionStage<JobView> status(String job, List<String> env) {
        return call(answer -> {
            JobEntry entry = entry(job);
            // Values select one instance, as Upstart's status did (GetInstance). Without
            // them Upshot shows every instance; Upstart looked up the one no values name.
            answer.complete(env.isEmpty() ? engine.registry().view(entry)
                    : engine.registry().view(entry, List.of(existing(entry, env))));
        });
    }

    @Override
    public CompletionStage<List<JobView>> list() {
        return call(answer -> answer.complete(engine.registry().views()));
    }

    @Override
    public CompletionStage<List<Definition>> definitions(String job) {
        return call(answer -> {
            List<JobEntry> entries = job.isEmpty() ? engine.registry().entries() : List.of(entry(job));
            List<Definition> out = new ArrayList<>();
            for (JobEntry entry : entries) {
                out.add(new Definition(engine.registry().view(entry), entry.jobClass().neededJobs(),
                        entry.jobClass().instanceTemplate()));
            }
            answer.complete(out);
        });
    }

    @Override
    public List<String> notes(String job) {
        return engine.notes(job);
    }

    @Override
    public CompletionStage<EventResult> emit(Event event, boolean wait) {
        CompletionStage<EventResult> done = engine.emit(event);
        // refused outright (a re-exec under way): the caller must hear it even without waiting
        boolean refused = done.toCompletableFuture().isCompletedExceptionally();
        return wait || refused ? done : CompletableFuture.completedFuture(EventResult.OK);
    }

    @Override
    public CompletionStage<Void> reexec() {
        return engine.reexec();
    }

    @Override
    public List<String> fileProblems() {
        return fileProblems.get();
    }

    @Override
    public List<String> emittedEvents() {
        List<String> events = new ArrayList<>(EngineEvents.NAMES);
        events.addAll(pluginEvents.get());
        return events;
    }

    @Override
    public CompletionStage<Void> reloadConfiguration() {
        return reloader.get();
    }

    @Override
    public CompletionStage<Void> shutdown(PowerAction action) {
        return shutdown.apply(action);
    }

    @Override
    public Runnable subscribe(Consumer<Event> events) {
        CompletableFuture<Runnable> cancel = new CompletableFuture<>();
        engine.request(() -> cancel.complete(engine.subscribe(events)));
        return () -> cancel.thenAccept(action -> engine.request(action));
    }

    @Override
    public CompletionStage<List<String>> environment(EnvironmentOperation operation, String job,
            String instance, List<String> arguments) {
        return call(answer -> {
            List<String> table;
            Job target = null;
            if (job == null || job.isEmpty()) {
                table = engine.environment().global();
            } else {
                JobEntry entry = entry(job);
                target = entry.instance(instance == null ? "" : instance);
                if (target == null) {
                    throw new ControlException(Reason.UNKNOWN_INSTANCE, "Unknown instance: " + job
                            + (instance == null || instance.isEmpty() ? "" : " (" + instance + ")"));
                }
                table = new ArrayList<>(target.env());
            }
            List<String> result = applyEnvironment(operation, table, arguments);
            if (target != null) {
                target.replaceEnv(table);
            }
            answer.complete(result);
        });
    }

    private List<String> applyEnvironment(EnvironmentOperation operation, List<String> table,
            List<String> arguments) {
        switch (operation) {
            case SET, SET_RETAIN -> {
                for (String argument : arguments) {
                    String entry = argument.indexOf('=') < 0 ? argument + "=" : argument;
                    checkEnv(List.of(entry));
                    if (operation == EnvironmentOperation.SET
                            || Environ.lookup(table, Environ.keyOf(entry)).isEmpty()) {
                        Environ.set(table, entry);
                    }
                }
                return List.of();
            }
            case GET -> {
                List<String> values = new ArrayList<>();
                for (String name : arguments) {
                    values.add(Environ.lookup(table, name).orElseThrow(() ->
                            new ControlException(Reason.BAD_ARGUMENT, "No such variable: " + name)));
                }
                return values;
            }
            case UNSET -> {
                for (String name : arguments) {
                    if (!Environ.unset(table, name)) {
                        throw new ControlException(Reason.BAD_ARGUMENT, "No such variable: " + name);
                    }
                }
                return List.of();
            }
            case LIST -> {
                return table.stream().sorted().toList();
            }
            case RESET -> {
                if (table == engine.environment().global()) {
                    engine.environment().reset();
                }
                return List.of();
            }
        }
        throw new IllegalStateException("can't happen: environment operation " + operation);
    }

    private static void settle(CompletableFuture<InstanceView> answer, Job instance, boolean failed,
            String failure) {
        if (failed) {
            answer.completeExceptionally(new ControlException(Reason.FAILED, failure));
        } else {
            answer.complete(instance.view());
        }
    }

    private JobEntry entry(String job) {
        JobEntry entry = engine.registry().entry(job);
        if (entry == null) {
            throw new ControlException(Reason.UNKNOWN_JOB, "Unknown job: " + job);
        }
        return entry;
    }

    private Job existing(String job, List<String> env) {
        return existing(entry(job), env);
    }

    /** The live instance {@code env} names, as stop, restart, reload and status select it. */
    private Job existing(JobEntry entry, List<String> env) {
        String name = instanceName(entry, requestEnvironment(entry, env));
        Job instance = entry.instance(name);
        if (instance == null) {
            String job = entry.jobClass().name();
            throw new ControlException(Reason.UNKNOWN_INSTANCE, "Unknown instance: "
                    + (name.isEmpty() ? job : job + " (" + name + ")"));
        }
        return instance;
    }

    /** A new instance's environment with the request's variables on top. */
    private List<String> requestEnvironment(JobEntry entry, List<String> env) {
        checkEnv(env);
        List<String> instanceEnv = engine.environment().forInstance(entry.jobClass());
        Environ.setAll(instanceEnv, env);
        return instanceEnv;
    }

    private static String instanceName(JobEntry entry, List<String> env) {
        try {
            return JobEnvironment.instanceName(entry.jobClass(), env);
        } catch (JobEnvironment.UnknownParameter e) {
            String usage = entry.jobClass().usage().map(text -> "\nUsage: " + text).orElse("");
            throw new ControlException(Reason.BAD_ARGUMENT, "Unknown parameter: " + e.getMessage() + usage);
        }
    }

    private static void checkEnv(List<String> env) {
        for (String entry : env) {
            if (entry.indexOf('=') <= 0) {
                throw new ControlException(Reason.BAD_ARGUMENT, "Env must be KEY=VALUE pairs");
            }
        }
    }

    @Override
    public CompletionStage<List<SourceStatus>> sources() {
        return engine.sources();
    }

    @Override
    public CompletionStage<Journal.Snapshot> journal() {
        return engine.journal();
    }
}
