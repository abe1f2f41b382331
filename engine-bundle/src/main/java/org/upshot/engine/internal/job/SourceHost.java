package org.upshot.engine.internal.job;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.upshot.daemon.DaemonSettings;
import org.upshot.engine.internal.api.SourceStatus;
import org.upshot.event.Event;
import org.upshot.event.EventDescriptor;
import org.upshot.event.EventEmitter;
import org.upshot.event.EventResult;
import org.upshot.event.RunPriority;
import org.upshot.job.InstanceChange;
import org.upshot.job.InstanceRef;
import org.upshot.job.JobView;
import org.upshot.spi.source.EventSource;
import org.upshot.spi.source.SourceContext;

/**
 * The event sources the engine has bound, and the guard around every call into them.
 *
 * <p>Each source gets a thread of its own (started for its calls, ended after
 * {@value #IDLE_THREAD_SECONDS} s without one): the engine thread only queues calls
 * ({@code start}, {@code jobsChanged}, {@code instanceChanged}, {@code pause},
 * {@code resume}, {@code stop}) there, in order, so a slow or stuck source never holds up
 * a job. A call that throws, or that is still running after the call timeout (a watchdog
 * looks once a second, also at the stop of a source already unbound), disables the
 * source: it is logged once with its name and bundle, no further call is made, and what
 * it emits from then on is dropped. A source
 * that emits after its {@code stop} was called is logged and dropped too. What a source
 * describes under jobs ({@link SourceNotes}) goes when it is unbound or disabled. The
 * bookkeeping belongs to the engine thread, which changes the map of hosts under its lock
 * for the watchdog to copy; the flags the source threads and the watchdog see are volatile.
 *
 * <p>Each source's events are held to the {@link SourceEventLimit}: beyond it they are
 * dropped and counted (one log line when dropping begins), and a source that loses a whole
 * burst is disabled as flooding, so that one plugin cannot bury the engine's queue.
 */
final class SourceHost {

    private static final Logger LOG = System.getLogger(SourceHost.class.getName());
    private static final long IDLE_THREAD_SECONDS = 2;

    /**
     * Who a source is, for logs.
     *
     * @param name the declared source name ({@code files})
     * @param bundle the bundle's symbolic name
     */
    record Identity(String name, String bundle) {}

    private final Function<String, EventEmitter> emitters;
    private final Function<Integer, Optional<InstanceRef>> owners;
    private final Function<InstanceRef, OptionalInt> mains;
    private final BiConsumer<InstanceRef, JobInput> reports;
    private final DaemonSettings settings;
    private final SourceNotes notes;
    private final Duration callTimeout;
    private final SourceEventLimit eventLimit;
    private final Map<EventSource, Hosted> hosted = new IdentityHashMap<>();
    /** Unbound, their stop perhaps still running: watched until their thread ends. Under {@code hosted}'s lock. */
    private final List<Hosted> leaving = new ArrayList<>();
    private ScheduledExecutorService watchdog;

    /**
     * @param emitters the engine's emitter for a source name
     * @param owners the instance a pid belongs to ({@link SourceContext#ownerOf})
     * @param mains the main process of an instance ({@link SourceContext#mainProcess})
     * @param reports takes an input a source's report makes to the instance it names
     *     ({@link SourceContext#moveMainProcess} and the like); any thread
     * @param settings the daemon's settings, handed to sources; its source call timeout applies
     * @param notes where what sources describe under jobs is kept
     * @param eventLimit how many events each source may emit
     */
    SourceHost(Function<String, EventEmitter> emitters, Function<Integer, Optional<InstanceRef>> owners,
            Function<InstanceRef, OptionalInt> mains, BiConsumer<InstanceRef, JobInput> reports,
            DaemonSettings settings, SourceNotes notes, SourceEventLimit eventLimit) {
        this.emitters = emitters;
        this.owners = owners;
        this.mains = mains;
        this.reports = reports;
        this.settings = settings;
        this.notes = notes;
        this.callTimeout = settings.sourceCallTimeout();
        this.eventLimit = eventLimit;
    }

    void bind(EventSource source, Identity identity, Collection<JobView> jobs) {
        if (hosted.containsKey(source)) {
            return;
        }
        Hosted host = new Hosted(source, identity);
        synchronized (hosted) {
            hosted.put(source, host);
        }
        startWatchdog();
        host.start();
        List<JobView> snapshot = knownJobs(jobs);
        host.call("jobsChanged", () -> source.jobsChanged(snapshot));
    }

    void unbind(EventSource source) {
        Hosted host;
        synchronized (hosted) {
            host = hosted.remove(source);
            if (host != null) {
                leaving.add(host);
            }
        }
        if (host != null) {
            host.stop();
        }
    }

    void jobsChanged(Collection<JobView> jobs) {
        List<JobView> snapshot = knownJobs(jobs);
        for (Hosted host : hosted.values()) {
            host.call("jobsChanged", () -> host.source.jobsChanged(snapshot));
        }
    }

    /** A snapshot of the jobs sources are about to be told of: from now on only these take notes. */
    private List<JobView> knownJobs(Collection<JobView> jobs) {
        List<JobView> snapshot = List.copyOf(jobs);
        notes.jobs(snapshot.stream().map(JobView::name).collect(Collectors.toSet()));
        return snapshot;
    }

    /** The bound sources, their state and their event counters; engine thread. */
    List<SourceStatus> statuses() {
        List<SourceStatus> out = new ArrayList<>();
        for (Hosted host : hosted.values()) {
            out.add(new SourceStatus(host.identity.name(), host.identity.bundle(),
                    Optional.ofNullable(host.disabledWhy), host.budget.taken(), host.budget.dropped(),
                    eventLimit.perSecond(), eventLimit.burst()));
        }
        return out;
    }

    void instanceChanged(InstanceChange change) {
        for (Hosted host : hosted.values()) {
            if (host.followsInstances) {
                host.call("instanceChanged", () -> host.source.instanceChanged(change));
            }
        }
    }

    /**
     * Pauses every source for a re-exec ({@link EventSource#pause}); completes once each
     * pause is over (returned, failed, or not made to a disabled source), or after the call
     * timeout: a source hung in its pause is disabled by then.
     */
    CompletableFuture<Void> pauseAll() {
        List<CompletableFuture<Void>> pauses = new ArrayList<>();
        for (Hosted host : hosted.values()) {
            pauses.add(host.call("pause", host.source::pause));
        }
        return CompletableFuture.allOf(pauses.toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets every source take input again after {@link #pauseAll}: the re-exec was given up. */
    void resumeAll() {
        for (Hosted host : hosted.values()) {
            host.call("resume", host.source::resume);
        }
    }

    /**
     * Stops every source (the engine is closing), and waits a bounded time for their stops
     * and for those of sources unbound before; one still running then is reported hung.
     */
    void stopAll() {
        for (Hosted host : List.copyOf(hosted.values())) {
            unbind(host.source);
        }
        long deadline = System.nanoTime() + callTimeout.toNanos();
        for (Hosted host : hostsSnapshot()) {
            // a disabled source's thread may be stuck for good: waiting for it is no use
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (!host.disabled && !host.awaitEnd(left) && host.busySince != 0) {
                host.reportHung();
            }
        }
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
    }

    private void startWatchdog() {
        if (watchdog == null) {
            watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "upshot-source-watchdog");
                t.setDaemon(true);
                return t;
            });
            watchdog.scheduleWithFixedDelay(this::lookForHungCalls, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** On the watchdog thread: reads only the hosts' volatile flags. */
    private void lookForHungCalls() {
        long now = System.nanoTime();
        for (Hosted host : hostsSnapshot()) {
            long since = host.busySince;
            if (since != 0 && now - since > callTimeout.toNanos() && !host.disabled) {
                host.reportHung();
            }
        }
    }

    /** The bound and leaving hosts, copied under the lock that the engine thread's changes take. */
    private List<Hosted> hostsSnapshot() {
        synchronized (hosted) {
            leaving.removeIf(host -> host.thread.isTerminated());
            List<Hosted> all = new ArrayList<>(hosted.values());
            all.addAll(leaving);
            return all;
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    /** Whether a source of this class overrides {@link EventSource#instanceChanged}. */
    static boolean followsInstances(Class<? extends EventSource> type) {
        try {
            return type.getMethod("instanceChanged", InstanceChange.class).getDeclaringClass() != EventSource.class;
        } catch (NoSuchMethodException e) {
            throw new AssertionError("EventSource declares instanceChanged", e);
        }
    }

    /** One bound source: its thread, its flags, and the context it was started with. */
    private final class Hosted implements SourceContext, EventEmitter {
        final EventSource source;
        final Identity identity;
        final ExecutorService thread;
        final EventEmitter engine;
        /** Set once: the source threw, hung, flooded, or could not be called; and why. */
        volatile boolean disabled;
        volatile String disabledWhy;
        final EventBudget budget = new EventBudget(eventLimit, System::nanoTime);
        /** Set when stop was called: emitting afterwards breaks the contract. */
        volatile boolean stopped;
        /** Set on unbind, when its notes are dropped, under this host's lock. */
        private boolean unbound;
        /** When the current call began (System.nanoTime), 0 when idle; and which call. */
        volatile long busySince;
        volatile String busyWith = "";
        private volatile boolean reportedLateEmit;
        /**
         * Whether the source overrides {@link EventSource#instanceChanged}: one that keeps
         * the SPI's no-op is not called, since each call wakes its thread (four milestones
         * an instance, a thousand instances in a "start all").
         */
        final boolean followsInstances;

        Hosted(EventSource source, Identity identity) {
            this.source = source;
            this.identity = identity;
            this.followsInstances = followsInstances(source.getClass());
            this.engine = emitters.apply(identity.name());
            // One call at a time, in order; the thread ends when idle and a call starts
            // another, so an idle daemon holds no thread per source.
            ThreadPoolExecutor calls = new ThreadPoolExecutor(1, 1, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "upshot-source-" + identity.name());
                        t.setDaemon(true);
                        return t;
                    });
            calls.allowCoreThreadTimeOut(true);
            this.thread = calls;
        }

        /**
         * Queues a call on the source's thread, unless the source is disabled; the stage
         * completes once the call is over, whether it returned, threw or was not made.
         */
        CompletableFuture<Void> call(String what, Call call) {
            CompletableFuture<Void> over = new CompletableFuture<>();
            if (disabled) {
                over.complete(null);
                return over;
            }
            try {
                thread.execute(() -> run(what, call, over));
            } catch (RejectedExecutionException e) {
                disable("could not be called (" + what + ")", e);
                over.complete(null);
            }
            return over;
        }

        private void run(String what, Call call, CompletableFuture<Void> over) {
            if (disabled) {
                over.complete(null);
                return;
            }
            busyWith = what;
            busySince = Math.max(1, System.nanoTime());
            try {
                call.run();
            } catch (Exception | LinkageError e) {
                disable("failed in " + what, e);
            } finally {
                busySince = 0;
                over.complete(null);
            }
        }

        void start() {
            call("start", () -> {
                source.start(this);
                LOG.log(Level.DEBUG, () -> this + " started");
            });
        }

        /** Drops its notes at once and queues its stop. */
        void stop() {
            synchronized (this) {
                unbound = true;
                notes.dropSource(identity.name());
            }
            call("stop", () -> {
                stopped = true;
                source.stop();
                LOG.log(Level.DEBUG, () -> this + " stopped");
            });
            thread.shutdown();
        }

        /** Whether the thread ended within {@code timeout}. */
        boolean awaitEnd(Duration timeout) {
            try {
                return thread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        void reportHung() {
            disable("did not return from " + busyWith + " within " + callTimeout.toMillis() + " ms", null);
        }

        /** Disables the source and logs why, once: the watchdog and the closing engine may both find it hung. */
        synchronized void disable(String why, Throwable cause) {
            if (disabled) {
                return;
            }
            disabled = true;
            disabledWhy = why;
            notes.dropSource(identity.name());
            String message = this + " " + why + "; it is disabled";
            if (cause == null) {
                LOG.log(Level.ERROR, message);
            } else {
                LOG.log(Level.ERROR, message, cause);
            }
        }

        /** {@code event source NAME from bundle BSN}: how every log line names it. */
        @Override
        public String toString() {
            return "event source " + identity.name() + " from bundle " + identity.bundle();
        }

        // ---- what the source sees -------------------------------------------------------

        @Override
        public EventEmitter emitter() {
            return this;
        }

        @Override
        public Optional<InstanceRef> ownerOf(int pid) {
            return owners.apply(pid);
        }

        @Override
        public OptionalInt mainProcess(InstanceRef instance) {
            return mains.apply(instance);
        }

        @Override
        public DaemonSettings settings() {
            return settings;
        }

        @Override
        public void moveMainProcess(InstanceRef instance, int oldPid, int newPid) {
            report(instance, new JobInput.MainMoved(oldPid, newPid));
        }

        @Override
        public void abort(InstanceRef instance, int pid, String process) {
            report(instance, new JobInput.Abort(pid, process));
        }

        @Override
        public void extendTimeout(InstanceRef instance, int pid, Duration extension) {
            report(instance, new JobInput.ExtendTimeout(pid, extension));
        }

        /** A disabled or unbound source's reports are dropped, as its events are. */
        private void report(InstanceRef instance, JobInput input) {
            if (!disabled && !unbound) {
                reports.accept(instance, input);
            }
        }

        @Override
        public void describe(String job, List<String> lines) {
            // checked under the lock that unbind and disable take to drop the notes, so a
            // late call cannot bring them back; unlike a late emit not logged: no event is lost
            synchronized (this) {
                if (!disabled && !unbound) {
                    notes.describe(job, identity.name(), lines);
                }
            }
        }

        @Override
        public CompletionStage<EventResult> emit(Event event, List<EventDescriptor> descriptors,
                RunPriority priority) {
            if (disabled || stopped) {
                if (!reportedLateEmit) {
                    reportedLateEmit = true;
                    LOG.log(Level.WARNING, this + " emitted " + event + " after it was "
                            + (disabled ? "disabled" : "stopped") + "; dropped");
                }
                return refuse(descriptors, "is " + (disabled ? "disabled" : "stopped"));
            }
            switch (budget.take()) {
                case TAKEN:
                    return engine.emit(event, descriptors, priority);
                case FIRST_DROP:
                    LOG.log(Level.WARNING, this + " emits over its limit of " + eventLimit
                            + "; its events are dropped until it slows down");
                    break;
                case FLOODING:
                    disable("flooded the engine: " + budget.dropped() + " events over its limit of " + eventLimit,
                            null);
                    break;
                case DROPPED:
                    break;
            }
            return refuse(descriptors, "is over its event limit");
        }

        private CompletionStage<EventResult> refuse(List<EventDescriptor> descriptors, String why) {
            descriptors.forEach(EventDescriptor::release);
            return CompletableFuture.failedFuture(new IllegalStateException("event source " + identity.name()
                    + " " + why));
        }
    }
}
