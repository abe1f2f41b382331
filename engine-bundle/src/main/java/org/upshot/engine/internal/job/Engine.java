package org.upshot.engine.internal.job;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.upshot.engine.internal.config.ChangeSet;
import org.upshot.engine.internal.event.EventQueue;
import org.upshot.engine.internal.match.Condition;
import org.upshot.engine.internal.match.Environ;
import org.upshot.engine.internal.match.EventIndex;
import org.upshot.engine.internal.match.ExpansionException;
import org.upshot.engine.internal.event.QueuedEvent;
import org.upshot.engine.internal.model.ExtensionStanza;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.event.Event;
import org.upshot.event.EventEmitter;
import org.upshot.event.EventResult;
import org.upshot.job.JobGoal;
import org.upshot.job.JobState;
import org.upshot.job.JobView;
import org.upshot.job.ProcessKind;
import org.upshot.process.ExitListener;
import org.upshot.process.Host;
import org.upshot.process.PosixException;
import org.upshot.process.ProcessExit;
import org.upshot.process.ProcessLauncher;
import org.upshot.process.SpawnRequest;
import org.upshot.process.Stdio;
import org.upshot.spi.source.EventSource;
import org.upshot.spi.stanza.Readiness;

/**
 * The engine: one thread owning the job registry, every instance and the event queue.
 * Other threads talk to it only through {@link #post}. See the package essay.
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = System.getLogger(Engine.class.getName());

    private final ProcessLauncher launcher;
    private final EngineSettings settings;
    private final ProcessSetup setup;
    private final BlockingQueue<EngineInput> inbox = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService timers;
    private final Thread thread;
    private final ExitListener exitListener = this::reaped;
    private final EventQueue queue = new EventQueue(this::dispatchEvent);

    final Map<String, JobEntry> registry = new TreeMap<>();
    private final EventIndex<JobEntry> startIndex = new EventIndex<>();
    private final EventIndex<Job> stopIndex = new EventIndex<>();
    private final Map<Integer, Owner> owners = new HashMap<>();
    private final DaemonTracker daemons;
    private final Sources sources = new Sources(this);
    /** The global job-environment table ({@code initctl set-env}). */
    final List<String> globalEnv = new ArrayList<>();
    private final List<Runnable> afterEachMessage = new ArrayList<>();
    private volatile boolean running = true;

    private record Owner(Job job, ProcessKind kind) {}

    /**
     * @param launcher spawns, signals and reaps the jobs' processes
     * @param settings directories, default console, base environment
     * @param host the daemon's process (for the child list when following daemons)
     */
    public Engine(ProcessLauncher launcher, EngineSettings settings, Host host) {
        this.launcher = launcher;
        this.settings = settings;
        this.setup = new ProcessSetup(settings);
        this.daemons = new DaemonTracker(this, settings.cgroups(), host);
        resetGlobalEnv();
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "upshot-timers");
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::run, "upshot-engine");
        this.thread.setDaemon(true);
    }

    /** Starts the engine thread and begins listening for exits. */
    public void start() {
        launcher.addExitListener(exitListener);
        thread.start();
    }

    /** Queues a message for the engine thread; any thread. */
    void post(EngineInput input) {
        inbox.add(input);
    }

    /** Runs {@code action} on the engine thread; any thread. */
    public void request(Runnable action) {
        post(new EngineInput.Request(action));
    }

    /** Runs {@code query} on the engine thread and answers through the stage; any thread. */
    public <T> CompletionStage<T> ask(java.util.function.Supplier<T> query) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        request(() -> {
            try {
                answer.complete(query.get());
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    /** Emits an event from outside; any thread. */
    public CompletionStage<EventResult> emit(Event event) {
        CompletableFuture<EventResult> done = new CompletableFuture<>();
        post(new EngineInput.EventEmitted(event, done));
        return done;
    }

    /** An emitter for one source, logging under its name. */
    public EventEmitter emitterFor(String sourceName) {
        return event -> {
            LOG.log(Level.DEBUG, () -> "source " + sourceName + " emitted " + event);
            return emit(event);
        };
    }

    /** Replaces the whole set of job definitions (after a load); any thread. */
    public void configure(Collection<JobClass> jobs) {
        post(new EngineInput.ConfigChanged(List.copyOf(jobs), Set.of(), true));
    }

    /** Applies a change of some job definitions (from the watcher or a reload); any thread. */
    public void apply(ChangeSet changes) {
        if (changes.changesJobs()) {
            post(new EngineInput.ConfigChanged(List.copyOf(changes.updated().values()),
                    Set.copyOf(changes.removed()), false));
        }
    }

    /** An event source arrived; any thread. */
    public void bindSource(EventSource source, String bundle) {
        post(new EngineInput.SourceBound(source, bundle));
    }

    /** An event source left; any thread. */
    public void unbindSource(EventSource source) {
        post(new EngineInput.SourceUnbound(source));
    }

    @Override
    public void close() {
        running = false;
        launcher.removeExitListener(exitListener);
        thread.interrupt();
        timers.shutdownNow();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the engine thread ------------------------------------------------------------

    private void run() {
        while (running) {
            EngineInput input;
            try {
                input = inbox.take();
            } catch (InterruptedException e) {
                break;
            }
            try {
                dispatch(input);
                queue.poll();
                for (Runnable check : List.copyOf(afterEachMessage)) {
                    check.run();
                }
            } catch (RuntimeException | Error e) {
                // one bad job or message must never stop the engine
                LOG.log(Level.ERROR, "engine error handling " + input, e);
            }
        }
        sources.stopAll();
    }

    private void dispatch(EngineInput input) {
        if (input instanceof EngineInput.ProcessExited exited) {
            processExited(exited.exit());
        } else if (input instanceof EngineInput.ProcessStopped stopped) {
            Owner owner = owners.get(stopped.pid());
            if (owner != null) {
                owner.job().processStopped(stopped.pid(), stopped.signal());
            }
        } else if (input instanceof EngineInput.EventEmitted emitted) {
            QueuedEvent queued = queue.emit(emitted.event());
            queued.completion().whenComplete((result, error) -> emitted.done().complete(result));
        } else if (input instanceof EngineInput.Request request) {
            request.action().run();
        } else if (input instanceof EngineInput.KillTimeout timeout) {
            timeout.job().killTimedOut(timeout.token());
        } else if (input instanceof EngineInput.DaemonCheck check) {
            daemons.check(check.job(), check.parentPid());
        } else if (input instanceof EngineInput.ReadinessReached ready) {
            ready.job().readinessReached(ready.pid(), ready.error());
        } else if (input instanceof EngineInput.ConfigChanged changed) {
            applyConfiguration(changed.updated(), changed.removed(), changed.complete());
        } else if (input instanceof EngineInput.SourceBound bound) {
            sources.bind(bound.source(), bound.bundle(), views());
        } else if (input instanceof EngineInput.SourceUnbound unbound) {
            sources.unbind(unbound.source());
        }
    }

    private void reaped(ProcessExit exit) {
        if ((exit.status() & 0xff) == 0x7f) {
            post(new EngineInput.ProcessStopped(exit.pid(), (exit.status() >> 8) & 0xff));
        } else {
            post(new EngineInput.ProcessExited(exit));
        }
    }

    private void processExited(ProcessExit exit) {
        if (daemons.parentExited(exit)) {
            return;
        }
        Owner owner = owners.remove(exit.pid());
        if (owner == null) {
            daemons.orphanReaped(exit.pid());
            return;
        }
        owner.job().processExited(owner.kind(), exit);
    }

    /** Sends a signal to one process (reload); engine thread. */
    void signal(int pid, int signal) {
        try {
            launcher.signal(pid, signal);
        } catch (PosixException e) {
            LOG.log(Level.WARNING, "cannot signal " + pid + ": " + e.getMessage());
        }
    }

    /** A process some job knows (used by the daemon tracker's fallback). */
    boolean ownsProcess(int pid) {
        return owners.containsKey(pid);
    }

    /** Called by the daemon tracker: the parent of a forking daemon failed, or its daemon died. */
    void mainEnded(Job job, ProcessExit exit) {
        job.processExited(ProcessKind.MAIN, exit);
    }

    void schedule(EngineInput input, long delay, TimeUnit unit) {
        timers.schedule(() -> post(input), delay, unit);
    }

    /** Registers a check run after every message (e.g. shutdown completion). */
    void afterEachMessage(Runnable check) {
        afterEachMessage.add(check);
    }

    void removeAfterEachMessage(Runnable check) {
        afterEachMessage.remove(check);
    }

    // ---- events -----------------------------------------------------------------------

    QueuedEvent queueEvent(Event event) {
        return queue.emit(event);
    }

    Runnable subscribe(Consumer<Event> subscriber) {
        return queue.subscribe(subscriber);
    }

    /** Matches one event: stop conditions of live instances first, then start conditions. */
    private void dispatchEvent(QueuedEvent event) {
        for (Job job : stopIndex.subscribers(event.event())) {
            Condition<QueuedEvent> condition = job.stopCondition();
            if (job.goal() == JobGoal.STOP || !condition.handle(event, job.env())) {
                continue;
            }
            List<QueuedEvent> matched = condition.matchedEvents();
            List<String> stopEnv = new ArrayList<>();
            condition.addEnvironment(stopEnv, "UPSTART_STOP_EVENTS");
            for (QueuedEvent cause : matched) {
                cause.block();
                job.block(cause);
            }
            condition.reset();
            job.setStopEnv(stopEnv);
            job.changeGoal(JobGoal.STOP);
        }
        for (JobEntry entry : startIndex.subscribers(event.event())) {
            Condition<QueuedEvent> condition = entry.startOn();
            if (entry.deleted() || !condition.handle(event)) {
                continue;
            }
            List<QueuedEvent> matched = condition.matchedEvents();
            List<String> env = instanceEnvironment(entry.jobClass());
            condition.addEnvironment(env, "UPSTART_EVENTS");
            try {
                Job job = instanceFor(entry, env);
                if (job.goal() != JobGoal.START) {
                    for (QueuedEvent cause : matched) {
                        cause.block();
                        job.block(cause);
                    }
                    job.setPendingEnv(env);
                    job.changeGoal(JobGoal.START);
                }
            } catch (UnknownParameter e) {
                LOG.log(Level.WARNING, entry.jobClass().name() + ": Unknown parameter: " + e.getMessage());
            }
            condition.reset();
        }
    }

    // ---- instances --------------------------------------------------------------------

    /** The job table, then {@code env} stanzas, then extension environment. */
    List<String> instanceEnvironment(JobClass jobClass) {
        List<String> env = new ArrayList<>(globalEnv);
        for (String entry : jobClass.env()) {
            if (entry.indexOf('=') < 0) {
                String inherited = settings.daemonEnvironment().get(entry);
                if (inherited != null) {
                    Environ.set(env, entry + "=" + inherited);
                }
            } else {
                Environ.set(env, entry);
            }
        }
        for (ExtensionStanza stanza : jobClass.extensions()) {
            stanza.contribution().environment().forEach((k, v) -> Environ.set(env, k + "=" + v));
        }
        return env;
    }

    /** Thrown on the engine thread when {@code instance} names an unknown variable. */
    static final class UnknownParameter extends Exception {
        private static final long serialVersionUID = 1L;

        UnknownParameter(String variable) {
            super(variable, null, false, false);
        }
    }

    /** The instance the environment names, made (waiting, goal stop) if new. */
    Job instanceFor(JobEntry entry, List<String> env) throws UnknownParameter {
        String name = instanceName(entry.jobClass(), env);
        Job job = entry.instances.get(name);
        if (job == null) {
            job = new Job(entry.jobClass(), name, env, entry.newStopCondition(), context);
            entry.instances.put(name, job);
            if (job.stopCondition() != null) {
                stopIndex.add(job, job.stopCondition().matchers());
            }
        }
        return job;
    }

    static String instanceName(JobClass jobClass, List<String> env) throws UnknownParameter {
        try {
            return Environ.expand(jobClass.instance(), env);
        } catch (ExpansionException e) {
            throw new UnknownParameter(e.variable().isEmpty() ? jobClass.instance() : e.variable());
        }
    }

    private void forget(Job job) {
        JobEntry entry = registry.get(job.jobClass().name());
        if (job.stopCondition() != null) {
            job.stopCondition().reset();
            stopIndex.remove(job);
        }
        daemons.forget(job);
        if (entry == null || entry.instances.get(job.instance()) != job) {
            return;
        }
        entry.instances.remove(job.instance());
        if (entry.instances.isEmpty()) {
            if (entry.deleted()) {
                unregister(entry);
            } else {
                unindex(entry);
                entry.idle();
                index(entry);
            }
        }
    }

    // ---- configuration ----------------------------------------------------------------

    private void applyConfiguration(Collection<JobClass> updated, Set<String> removed, boolean complete) {
        Map<String, JobClass> incoming = new LinkedHashMap<>();
        for (JobClass jobClass : updated) {
            incoming.put(jobClass.name(), jobClass);
        }
        for (JobEntry entry : List.copyOf(registry.values())) {
            String name = entry.jobClass().name();
            if (complete ? !incoming.containsKey(name) : removed.contains(name)) {
                if (entry.instances.isEmpty()) {
                    unregister(entry);
                } else {
                    entry.delete();
                }
            }
        }
        for (JobClass jobClass : incoming.values()) {
            JobEntry entry = registry.get(jobClass.name());
            if (entry == null) {
                entry = new JobEntry(jobClass);
                registry.put(jobClass.name(), entry);
                index(entry);
            } else if (!entry.jobClass().equals(jobClass) || entry.deleted()) {
                unindex(entry);
                entry.replace(jobClass);
                index(entry);
            }
        }
        sources.jobsChanged(views());
    }

    private void unregister(JobEntry entry) {
        unindex(entry);
        entry.releaseStartOn();
        registry.remove(entry.jobClass().name());
    }

    private void index(JobEntry entry) {
        if (entry.startOn() != null) {
            startIndex.add(entry, entry.startOn().matchers());
        }
    }

    private void unindex(JobEntry entry) {
        startIndex.remove(entry);
    }

    void resetGlobalEnv() {
        globalEnv.clear();
        globalEnv.addAll(settings.baseEnvironment());
    }

    // ---- views ------------------------------------------------------------------------

    List<JobView> views() {
        List<JobView> out = new ArrayList<>(registry.size());
        for (JobEntry entry : registry.values()) {
            out.add(view(entry));
        }
        return out;
    }

    JobView view(JobEntry entry) {
        JobClass jobClass = entry.jobClass();
        Map<String, List<List<String>>> stanzas = new LinkedHashMap<>();
        for (ExtensionStanza stanza : jobClass.extensions()) {
            stanzas.computeIfAbsent(stanza.keyword(), k -> new ArrayList<>()).add(stanza.arguments());
        }
        return new JobView(jobClass.name(), jobClass.file(), jobClass.description(),
                JobEntry.startExpression(jobClass), JobEntry.stopExpression(jobClass), jobClass.emits(),
                stanzas, entry.instances.values().stream().map(Job::view).toList());
    }

    // ---- what jobs ask of the engine --------------------------------------------------

    private final JobContext context = new JobContext() {
        @Override
        public QueuedEvent emit(Event event) {
            return queue.emit(event);
        }

        @Override
        public int spawn(Job job, ProcessKind kind) throws PosixException {
            Optional<Path> cgroup = kind == ProcessKind.MAIN ? daemons.cgroupFor(job) : Optional.empty();
            SpawnRequest request = setup.request(job, kind, cgroup);
            if (request.stdio() instanceof Stdio.Log log) {
                ensureDirectory(log.file().getParent());
            }
            int pid = launcher.spawn(request);
            owners.put(pid, new Owner(job, kind));
            LOG.log(Level.DEBUG, () -> job.displayName() + " " + kind.label() + " process (" + pid + ")");
            return pid;
        }

        @Override
        public void adopt(Job job, int pid) {
            owners.put(pid, new Owner(job, ProcessKind.MAIN));
        }

        @Override
        public void kill(int pid, int signal) {
            try {
                if (!launcher.signalGroup(pid, signal)) {
                    launcher.signal(pid, signal);
                }
            } catch (PosixException e) {
                LOG.log(Level.WARNING, "cannot signal " + pid + ": " + e.getMessage());
            }
        }

        @Override
        public void resume(int pid) {
            try {
                launcher.signal(pid, org.upshot.process.Signals.CONT);
            } catch (PosixException e) {
                LOG.log(Level.WARNING, "cannot continue " + pid + ": " + e.getMessage());
            }
        }

        @Override
        public void scheduleKillTimeout(Job job, int token) {
            schedule(new EngineInput.KillTimeout(job, token), job.jobClass().killTimeout(), TimeUnit.SECONDS);
        }

        @Override
        public void trackDaemon(Job job, int pid) {
            owners.remove(pid);
            daemons.track(job, pid);
        }

        @Override
        public void awaitReadiness(Job job, int pid, Readiness readiness) {
            try {
                readiness.await(pid).whenComplete((ok, error) ->
                        post(new EngineInput.ReadinessReached(job, pid, error)));
            } catch (RuntimeException e) {
                post(new EngineInput.ReadinessReached(job, pid, e));
            }
        }

        @Override
        public Optional<Readiness> readiness(Job job) {
            for (ExtensionStanza stanza : job.jobClass().extensions()) {
                if (stanza.contribution().readiness().isPresent()) {
                    return stanza.contribution().readiness();
                }
            }
            return Optional.empty();
        }

        @Override
        public void instanceStopped(Job job) {
            forget(job);
        }
    };

    private static void ensureDirectory(Path dir) {
        if (dir != null && !Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot create log directory " + dir + ": " + e.getMessage());
            }
        }
    }

    /** The live instances of every job, for shutdown. */
    List<Job> allInstances() {
        List<Job> out = new ArrayList<>();
        for (JobEntry entry : registry.values()) {
            out.addAll(entry.instances.values());
        }
        return out;
    }

    /** Stops every instance; completes once none is left. Any thread. */
    public CompletionStage<Void> stopAll() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        request(() -> {
            for (Job job : allInstances()) {
                job.changeGoal(JobGoal.STOP);
            }
            Runnable[] check = new Runnable[1];
            check[0] = () -> {
                if (allInstances().stream().allMatch(j -> j.state() == JobState.WAITING)) {
                    removeAfterEachMessage(check[0]);
                    done.complete(null);
                }
            };
            afterEachMessage(check[0]);
        });
        return done;
    }
}
