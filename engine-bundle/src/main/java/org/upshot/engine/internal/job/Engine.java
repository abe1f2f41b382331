package org.upshot.engine.internal.job;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.upshot.engine.internal.config.ChangeSet;
import org.upshot.engine.internal.event.EventQueue;
import org.upshot.engine.internal.event.QueuedEvent;
import org.upshot.engine.internal.api.SourceStatus;
import org.upshot.engine.internal.match.Condition;
import org.upshot.engine.internal.journal.Journal;
import org.upshot.engine.internal.journal.JournalEntry;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.daemon.DescriptorStore;
import org.upshot.event.Event;
import org.upshot.event.EventDescriptor;
import org.upshot.event.EventEmitter;
import org.upshot.event.EventResult;
import org.upshot.event.RunPriority;
import org.upshot.job.InstanceRef;
import org.upshot.job.JobState;
import org.upshot.process.ExitListener;
import org.upshot.process.Host;
import org.upshot.process.PosixException;
import org.upshot.process.ProcessExit;
import org.upshot.process.ProcessLauncher;
import org.upshot.spi.source.EventSource;

/**
 * The engine: wires its rooms together and is the door other threads use. Every method
 * here may be called from any thread; each only posts a message to the engine thread
 * ({@link EngineLoop}), which alone touches job state. See the package essay and
 * {@code docs/engine.md} for the rooms.
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = System.getLogger(Engine.class.getName());
    /** The most of an event's text the journal keeps. */
    private static final int JOURNAL_EVENT_CHARS = 256;
    /** How often adopted processes are looked for in {@code /proc}: a stop waits on it. */
    private static final long ADOPTED_POLL_MILLIS = 100;
    /** How long a run a re-exec handed over waits for its job to load (its plugin to come back). */
    private static final long AWAIT_JOB_MILLIS = 60_000;
    /** How long the configuration and the sources must stay still before handed-over source events are emitted. */
    private static final long SETTLE_MILLIS = 500;
    /** How long handed-over source events wait for that at most. */
    private static final long SOURCES_EVENTS_MAX_WAIT_MILLIS = 10_000;

    private final ProcessLauncher launcher;
    private final SpawnPool pool;
    private final JobRuntime runtime;
    private final EngineLoop loop;
    private final EventQueue queue;
    private final ProcessTable processes;
    private final DaemonTracker daemons;
    private final SourceHost sources;
    private final SourceNotes notes = new SourceNotes();
    private final Journal journal;
    /** The journal's text of each event in the queue (engine thread). */
    private final Map<QueuedEvent, String> eventTexts = new IdentityHashMap<>();
    private final JobEnvironment environment;
    private final JobRegistry registry;
    private final EventMatching matching;
    private final List<Runnable> afterEachMessage = new ArrayList<>();
    private final ExitListener exitListener = this::reaped;
    private final RunRecords runs;
    /** Adopted main processes (not this daemon's children, so never reaped here) and their start times. */
    private final Map<Integer, Long> adopted = new HashMap<>();
    /** Runs a re-exec handed over whose jobs are not loaded yet (engine thread). */
    private final List<ReexecState.InstanceState> awaitingJobs = new ArrayList<>();
    /** Events sources emitted while a re-exec was sealed, handed over, not yet emitted (engine thread). */
    private final List<ReexecState.EmittedEvent> sourcesEvents = new ArrayList<>();
    private long sourcesEventsDeadline;
    private long lastConfigurationMove;
    private final Host host;
    private final DescriptorStore descriptors;
    private final Handover handover;

    /**
     * @param launcher spawns, signals and reaps the jobs' processes
     * @param settings the daemon's settings and base environment
     * @param host the daemon's process (for the child list when following daemons)
     * @param descriptors what a re-exec keeps open, and what the daemon before handed
     *     over (a re-executed daemon's)
     */
    public Engine(ProcessLauncher launcher, EngineSettings settings, Host host, DescriptorStore descriptors) {
        this.launcher = launcher;
        this.host = host;
        this.descriptors = descriptors;
        this.pool = new SpawnPool(launcher);
        this.journal = Journal.forDaemon();
        this.processes = new ProcessTable(host);
        this.loop = new EngineLoop(new Handler(), this::afterMessage, this::onExit);
        this.environment = new JobEnvironment(settings);
        this.sources = new SourceHost(this::emitterFor, processes::ownerOf, processes::mainOf, this::toInstance,
                settings.daemon(), notes, settings.sourceEventLimit());
        JobCgroups cgroups = new JobCgroups(settings.cgroups());
        this.daemons = new DaemonTracker(processes, loop, cgroups, host);
        // the queue, the registry and the instances' runtime refer to one another only
        // through these two methods, which run once construction is over
        this.queue = new EventQueue(this::match, this::traceEvent);
        this.runs = new RunRecords(settings.daemon().runtimeDir().resolve("runs"));
        this.runtime = new JobRuntime(launcher, pool, new ProcessSetup(settings), processes, daemons, cgroups, queue,
                loop, sources, journal, runs, this::forget);
        this.registry = new JobRegistry(runtime::contextFor);
        this.matching = new EventMatching(registry, environment);
        this.handover = new Handover(registry, queue, loop, sources, host, descriptors,
                settings.daemon().runtimeDir());
    }

    /** Starts the engine thread and begins listening for exits. */
    public void start() {
        journal.record(JournalEntry.Kind.DAEMON, "", "", "engine", 0);
        launcher.addExitListener(exitListener);
        loop.start();
    }

    /** Runs {@code action} on the engine thread. */
    public void request(Runnable action) {
        loop.post(new EngineInput.Request(action));
    }

    /** Runs {@code query} on the engine thread and answers through the stage. */
    public <T> CompletionStage<T> ask(Supplier<T> query) {
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

    /** The bound event sources and their counters. */
    public CompletionStage<List<SourceStatus>> sources() {
        return ask(sources::statuses);
    }

    /** What the engine's journal holds now; see {@link Journal}. */
    public CompletionStage<Journal.Snapshot> journal() {
        return ask(journal::snapshot);
    }

    /** Emits an event from outside. */
    public CompletionStage<EventResult> emit(Event event) {
        return emit(event, List.of());
    }

    /** Emits an event that carries descriptors to the jobs it starts (see {@link EventDescriptor}). */
    public CompletionStage<EventResult> emit(Event event, List<EventDescriptor> descriptors) {
        return emit(event, descriptors, RunPriority.NORMAL);
    }

    /** Emits an event whose runs are scheduled at {@code priority} (see {@link RunPriority}). */
    public CompletionStage<EventResult> emit(Event event, List<EventDescriptor> descriptors, RunPriority priority) {
        return emit(event, descriptors, priority, null);
    }

    /** @param source the event source that emits it, or null: held while a re-exec is sealed ({@link Handover}) */
    private CompletionStage<EventResult> emit(Event event, List<EventDescriptor> descriptors, RunPriority priority,
            String source) {
        if (!loop.running()) {
            descriptors.forEach(EventDescriptor::release);
            return CompletableFuture.failedFuture(new IllegalStateException("the engine has stopped"));
        }
        CompletableFuture<EventResult> done = new CompletableFuture<>();
        handover.emitOrHold(new EngineInput.EventEmitted(event, descriptors, priority, done), source);
        return done;
    }

    /** An emitter that logs under {@code emitter}'s name, as every source's does. */
    public EventEmitter emitterFor(String emitter) {
        return (event, descriptors, priority) -> {
            LOG.log(Level.DEBUG, () -> "source " + emitter + " emitted " + event);
            return emit(event, descriptors, priority, emitter);
        };
    }

    /** Replaces the whole set of job definitions (after a load). */
    public void configure(Collection<JobClass> jobs) {
        loop.post(new EngineInput.ConfigChanged(List.copyOf(jobs), Set.of(), true));
    }

    /** Applies a change of some job definitions (from the watcher or a reload). */
    public void apply(ChangeSet changes) {
        if (changes.changesJobs()) {
            loop.post(new EngineInput.ConfigChanged(List.copyOf(changes.updated().values()),
                    Set.copyOf(changes.removed()), false));
        }
    }

    /**
     * An event source arrived.
     *
     * @param name its declared name, for logs
     * @param bundle its bundle's symbolic name, for logs
     */
    public void bindSource(EventSource source, String name, String bundle) {
        loop.post(new EngineInput.SourceBound(source, new SourceHost.Identity(name, bundle)));
    }

    /** An event source left. */
    public void unbindSource(EventSource source) {
        loop.post(new EngineInput.SourceUnbound(source));
    }

    /** The instance a process belongs to (see {@link org.upshot.spi.source.SourceContext#ownerOf}). */
    public Optional<InstanceRef> ownerOf(int pid) {
        return processes.ownerOf(pid);
    }

    /**
     * Stops every instance, and from then on starts none (events still stop jobs);
     * completes once every instance is waiting.
     */
    public CompletionStage<Void> stopAll() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        request(() -> {
            registry.shutDown();
            for (Job job : registry.allInstances()) {
                job.handle(new JobInput.Stop(List.of(), List.of()));
            }
            Runnable[] check = new Runnable[1];
            check[0] = () -> {
                if (registry.allInstances().stream().allMatch(j -> j.state() == JobState.WAITING)) {
                    afterEachMessage.remove(check[0]);
                    done.complete(null);
                }
            };
            afterEachMessage.add(check[0]);
        });
        return done;
    }

    @Override
    public void close() {
        launcher.removeExitListener(exitListener);
        loop.close();
        runs.close();
    }

    /**
     * Adopts the runs a daemon before this one left running when it died, so that the
     * {@code startup} that follows does not start them twice. Call after the first
     * {@link #configure} and before emitting {@code startup}.
     */
    public void adoptRuns() {
        request(() -> {
            for (RunRecords.Run run : runs.load()) {
                adopt(run);
            }
        });
    }

    private void adopt(RunRecords.Run run) {
        JobEntry entry = registry.entry(run.ref().job());
        if (entry == null || entry.instance(run.ref().instance()) != null) {
            LOG.log(Level.WARNING, run.ref().displayName() + " (process " + run.pid() + ") was left running by "
                    + "the daemon before, but " + (entry == null ? "no such job is loaded" : "it runs already")
                    + "; leaving it alone");
            runs.remove(run.ref());
            return;
        }
        registry.instanceFor(entry, run.ref().instance(), run.env()).adoptRun(run.pid());
        LOG.log(Level.INFO, run.ref().displayName() + " adopted: its main process (" + run.pid()
                + ") was left running by the daemon before");
        if (adopted.isEmpty()) {
            loop.schedule(new EngineInput.Request(this::watchAdopted), ADOPTED_POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
        adopted.put(run.pid(), run.startTicks());
    }

    /**
     * Ends of adopted processes: they are not this daemon's children, so no reaper hears of
     * them; they are looked for in {@code /proc} instead, and reported with an unknown
     * status as a plain exit.
     */
    private void watchAdopted() {
        adopted.entrySet().removeIf(process -> {
            int pid = process.getKey();
            if (RunRecords.startTicks(pid).equals(OptionalLong.of(process.getValue()))) {
                return false;
            }
            LOG.log(Level.INFO, "adopted process " + pid + " ended; its exit status is unknown here");
            if (processes.owns(pid)) {
                loop.post(new EngineInput.ProcessExited(new ProcessExit(pid, 0)));
            }
            return true;
        });
        if (!adopted.isEmpty()) {
            loop.schedule(new EngineInput.Request(this::watchAdopted), ADOPTED_POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Replaces the daemon's program in place, every job kept ({@link Handover}); completes
     * just before the exec, or fails if the engine does not come to rest in time.
     */
    public CompletionStage<Void> reexec() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        request(() -> handover.begin(done));
        return done;
    }

    /**
     * Closes, after {@code delay}, the descriptors the daemon before handed over that no
     * plugin took back (its plugin is gone, or its job's socket changed).
     */
    public void closeUnclaimedDescriptors(Duration delay) {
        loop.schedule(new EngineInput.Request(() -> {
            for (int fd : descriptors.takeUnclaimed()) {
                LOG.log(Level.INFO, "closing descriptor " + fd + ": handed over by the re-exec, taken by no one");
                Handover.close(host, fd);
            }
        }), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Takes over what the daemon before this program handed over ({@link Handover}): its
     * running instances with their processes and respawn counts, the events its conditions
     * held, and the events emitted during the exec. Call after the first {@link #configure},
     * instead of {@link #adoptRuns} and {@code startup}.
     */
    public void takeOver(ReexecState state) {
        request(() -> {
            List<QueuedEvent> held = new ArrayList<>();
            for (ReexecState.HeldEvent event : state.held()) {
                held.add(queue.restoreHeld(event.event(), event.failed()));
            }
            for (ReexecState.ConditionState start : state.startConditions()) {
                JobEntry entry = registry.entry(start.job());
                restoreCondition(start, entry == null ? null : entry.startOn(), held);
            }
            int taken = 0;
            for (ReexecState.InstanceState run : state.instances()) {
                if (registry.entry(run.ref().job()) == null) {
                    awaitingJobs.add(run); // a plugin's stanza: loaded once the plugin is back
                } else if (takeOver(run, held)) {
                    taken++;
                }
            }
            if (!awaitingJobs.isEmpty()) {
                loop.schedule(new EngineInput.Request(this::leaveAwaitingAlone), AWAIT_JOB_MILLIS, TimeUnit.MILLISECONDS);
            }
            sourcesEvents.addAll(state.emitted());
            if (!sourcesEvents.isEmpty()) {
                sourcesEventsDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SOURCES_EVENTS_MAX_WAIT_MILLIS);
                configurationMoved();
            }
            LOG.log(Level.INFO, "re-executed: took over " + taken + " running instances and " + state.held().size()
                    + " held events" + (awaitingJobs.isEmpty() ? "" : "; " + awaitingJobs.size()
                    + " more once their jobs load") + (sourcesEvents.isEmpty() ? "" : "; " + sourcesEvents.size()
                    + " events of sources to emit once they are back"));
        });
    }

    /** Whether {@code run} was taken over: its job is loaded and has no such instance already. */
    private boolean takeOver(ReexecState.InstanceState run, List<QueuedEvent> held) {
        JobEntry entry = registry.entry(run.ref().job());
        if (entry.instance(run.ref().instance()) != null) {
            LOG.log(Level.WARNING, run.ref().displayName() + " (process " + run.pid() + ") was running before the "
                    + "re-exec, but it runs already; leaving the process alone");
            return false;
        }
        Job job = registry.instanceFor(entry, run.ref().instance(), run.env());
        job.adoptRun(run.pid(), run.respawns());
        restoreCondition(run.stopCondition(), job.stopCondition(), held);
        // reaped by the program before, in the moment of the exec: its status went with it
        if (!RunRecords.startTicks(run.pid()).equals(OptionalLong.of(run.startTicks()))
                && !Files.exists(Path.of("/proc", Integer.toString(run.pid())))) {
            LOG.log(Level.INFO, job.displayName() + ": main process " + run.pid()
                    + " ended during the re-exec; its exit status is unknown here");
            loop.post(new EngineInput.ProcessExited(new ProcessExit(run.pid(), 0)));
        }
        return true;
    }

    /**
     * Takes over the runs whose jobs were not loaded when the re-executed daemon took over
     * (a plugin's stanza: the job loads once the plugin is active again). Their half-matched
     * stop conditions are not restored: the events went their way meanwhile.
     */
    private void takeOverLoadedJobs() {
        awaitingJobs.removeIf(run -> {
            if (registry.entry(run.ref().job()) == null) {
                return false;
            }
            ReexecState.InstanceState bare = new ReexecState.InstanceState(run.ref(), run.pid(), run.startTicks(),
                    run.env(), run.respawns(), null);
            if (takeOver(bare, List.of())) {
                LOG.log(Level.INFO, run.ref().displayName() + " taken over now that its job is loaded");
            }
            return true;
        });
    }

    /**
     * The configuration or the bound sources changed: the handed-over events of sources wait
     * until that has settled, so that the jobs of a plugin's stanzas are loaded again first.
     */
    private void configurationMoved() {
        if (sourcesEvents.isEmpty()) {
            return;
        }
        lastConfigurationMove = System.nanoTime();
        loop.schedule(new EngineInput.Request(this::emitSourcesEvents), SETTLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Emits the events sources emitted while the re-exec was sealed, once their source is
     * bound again and nothing moved for {@value #SETTLE_MILLIS} ms; all of them after
     * {@value #SOURCES_EVENTS_MAX_WAIT_MILLIS} ms.
     */
    private void emitSourcesEvents() {
        long now = System.nanoTime();
        boolean late = now - sourcesEventsDeadline >= 0;
        if (!late && now - lastConfigurationMove < TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS)) {
            return; // a later move scheduled its own look
        }
        Set<String> bound = new HashSet<>();
        sources.statuses().forEach(status -> bound.add(status.name()));
        sourcesEvents.removeIf(event -> {
            if (!late && !bound.contains(event.source())) {
                return false;
            }
            emit(event.event(), event.descriptors().stream().map(d -> Handover.inherited(d, host)).toList(),
                    event.priority());
            return true;
        });
        if (!sourcesEvents.isEmpty()) {
            loop.schedule(new EngineInput.Request(this::emitSourcesEvents), SETTLE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void leaveAwaitingAlone() {
        for (ReexecState.InstanceState run : awaitingJobs) {
            LOG.log(Level.WARNING, run.ref().displayName() + " (process " + run.pid() + ") was running before the "
                    + "re-exec, but its job is not loaded now; leaving its process alone");
        }
        awaitingJobs.clear();
    }

    private static void restoreCondition(ReexecState.ConditionState state, Condition<QueuedEvent> condition,
            List<QueuedEvent> held) {
        if (state == null) {
            return;
        }
        if (condition == null || !condition.expression().toString().equals(state.expression())) {
            LOG.log(Level.INFO, "the condition of " + state.job() + " changed across the re-exec; its half-matched "
                    + "events are dropped");
            return;
        }
        Map<Integer, QueuedEvent> leaves = new HashMap<>();
        state.leaves().forEach((leaf, event) -> leaves.put(leaf, held.get(event)));
        condition.restore(leaves);
    }

    // ---- for EngineControl, on the engine thread -----------------------------------------

    JobRegistry registry() {
        return registry;
    }

    JobEnvironment environment() {
        return environment;
    }

    /** What the engine ({@code needs}) and the event sources show under {@code job} (see {@link SourceNotes#of}); any thread. */
    List<String> notes(String job) {
        return notes.of(job);
    }

    Runnable subscribe(Consumer<Event> subscriber) {
        return queue.subscribe(subscriber);
    }

    /** Hands {@code input} to the live instance {@code ref} on the engine thread; dropped if it is gone. */
    private void toInstance(InstanceRef ref, JobInput input) {
        request(() -> {
            JobEntry entry = registry.entry(ref.job());
            Job instance = entry == null ? null : entry.instance(ref.instance());
            if (instance != null) {
                instance.handle(input);
            }
        });
    }

        /** Sends a signal to one process (reload). */
    void signal(int pid, int signal) {
        try {
            launcher.signal(pid, signal);
        } catch (PosixException e) {
            LOG.log(Level.WARNING, "cannot signal " + pid + ": " + e.getMessage());
        }
    }


    // ---- the engine thread --------------------------------------------------------------

    /** Reaper thread: queued behind the outcome of any spawn under way (see {@link SpawnPool}). */
    private void reaped(ProcessExit exit) {
        EngineInput input = (exit.status() & 0xff) == 0x7f
                ? new EngineInput.ProcessStopped(exit.pid(), (exit.status() >> 8) & 0xff)
                : new EngineInput.ProcessExited(exit);
        pool.report(() -> loop.post(input));
    }

    /**
     * An event's three journal entries share one text, made when it is queued and cut
     * to {@value #JOURNAL_EVENT_CHARS} characters: a storm of udev events, each with a
     * long environment, keeps the journal within a few megabytes.
     */
    private void traceEvent(QueuedEvent event) {
        switch (event.progress()) {
            case PENDING -> {
                String text = event.event().toString();
                text = text.length() <= JOURNAL_EVENT_CHARS ? text : text.substring(0, JOURNAL_EVENT_CHARS - 3) + "...";
                eventTexts.put(event, text);
                journal.event(JournalEntry.Kind.EVENT_QUEUED, text);
            }
            case HANDLING -> journal.event(JournalEntry.Kind.EVENT_HANDLED, eventTexts.get(event));
            case FINISHED -> {
                String text = eventTexts.remove(event);
                journal.event(JournalEntry.Kind.EVENT_FINISHED, event.failed() ? text + " (failed)" : text);
            }
        }
    }

    private void match(QueuedEvent event) {
        matching.handle(event);
    }

    private void forget(Job job) {
        // the notes follow the definitions: read them again only when one went or was replaced
        if (registry.forget(job)) {
            notes.engineLines(registry.needsNotes());
        }
    }

    private void afterMessage() {
        queue.poll();
        for (Runnable check : List.copyOf(afterEachMessage)) {
            check.run();
        }
        handover.afterMessage();
    }

    private void onExit() {
        pool.close(); // before the queue gives back descriptors a spawn under way may still pass on
        sources.stopAll();
        queue.abandon();
    }

    /** What each message does. */
    private final class Handler implements EngineInput.Handler {

        @Override
        public void processExited(ProcessExit exit) {
            if (daemons.parentExited(exit)) {
                return;
            }
            ProcessTable.Owner owner = processes.remove(exit.pid());
            if (owner == null) {
                daemons.orphanReaped(exit.pid());
                return;
            }
            owner.job().handle(new JobInput.ProcessExited(owner.kind(), exit));
        }

        @Override
        public void processStopped(int pid, int signal) {
            ProcessTable.Owner owner = processes.get(pid);
            if (owner != null) {
                owner.job().handle(new JobInput.ProcessStopped(pid, signal));
            }
        }

        @Override
        public void spawnFinished(EngineInput.SpawnFinished finished) {
            runtime.spawnFinished(finished);
        }

        @Override
        public void eventEmitted(EngineInput.EventEmitted emitted) {
            QueuedEvent queued = queue.emit(emitted.event(), emitted.descriptors(), emitted.priority());
            queued.completion().whenComplete((result, error) -> {
                if (error != null) {
                    emitted.done().completeExceptionally(error);
                } else {
                    emitted.done().complete(result);
                }
            });
        }

        @Override
        public void request(Runnable action) {
            action.run();
        }

        @Override
        public void toJob(Job job, JobInput input) {
            job.handle(input);
        }

        @Override
        public void daemonCheck(Job job, int parentPid) {
            daemons.check(job, parentPid);
        }

        @Override
        public void configChanged(EngineInput.ConfigChanged changed) {
            registry.apply(changed.updated(), changed.removed(), changed.complete());
            takeOverLoadedJobs();
            configurationMoved();
            notes.engineLines(registry.needsNotes());
            sources.jobsChanged(registry.views());
        }

        @Override
        public void sourceBound(EventSource source, SourceHost.Identity identity) {
            sources.bind(source, identity, registry.views());
            configurationMoved();
        }

        @Override
        public void sourceUnbound(EventSource source) {
            sources.unbind(source);
        }
    }
}
