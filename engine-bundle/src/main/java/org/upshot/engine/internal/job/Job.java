package org.upshot.engine.internal.job;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.upshot.engine.internal.event.Blocked;
import org.upshot.engine.internal.event.QueuedEvent;
import org.upshot.engine.internal.match.Condition;
import org.upshot.engine.internal.match.Environ;
import org.upshot.engine.internal.model.Expect;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.state.JobTransitions;
import org.upshot.event.Event;
import org.upshot.event.EventDescriptor;
import org.upshot.event.RunPriority;
import org.upshot.job.InstanceChange;
import org.upshot.job.InstanceRef;
import org.upshot.job.InstanceView;
import org.upshot.job.JobGoal;
import org.upshot.job.JobState;
import org.upshot.job.ProcessKind;
import org.upshot.process.ProcessExit;
import org.upshot.process.Signals;
import org.upshot.spi.stanza.Readiness;
import org.upshot.spi.stanza.ReadinessTarget;

/**
 * One instance of a job: its goal, its state, its processes and the events it holds.
 * Engine thread only; see the package essay for the rules this class follows.
 *
 * <p>Inputs arrive through {@link #handle} alone, as {@link JobInput}s. A handler may
 * change the goal; the state changes only in {@link #advance}, which takes every next
 * state from {@link JobTransitions#next} and runs its entry action ({@link #enter}),
 * looping while the entry action moves on.
 */
final class Job {

    private static final Logger LOG = System.getLogger(Job.class.getName());

    /**
     * {@code PROCESS} of a run that failed because a job it {@code needs} did not start:
     * no process of this job ran, so the stanza's keyword names the cause.
     */
    static final String NEEDS = "needs";
    /** {@code PROCESS} of a run stopped for respawning too fast, as in Upstart. */
    private static final String RESPAWN = "respawn";

    /** What an entry action decided: wait in the new state, or move on by the table. */
    private enum Step { STAY, ON }

    private final JobClass jobClass;
    private final InstanceRef ref;
    private final JobContext context;
    private final Map<ProcessKind, Integer> pids = new EnumMap<>(ProcessKind.class);
    /** Processes asked for whose pid has not come back yet: their state waits as for a live one. */
    private final Set<ProcessKind> spawning = EnumSet.noneOf(ProcessKind.class);
    private final List<Blocked> blocking = new ArrayList<>();
    private final Condition<QueuedEvent> stopOn;
    private final Inputs inputs = new Inputs();

    private JobGoal goal = JobGoal.STOP;
    private JobState state = JobState.WAITING;
    /** The environment of the current run: job env, start events or request, UPSTART_*. */
    private List<String> env;
    /** A new start environment kept aside until the next pass through {@code starting}. */
    private List<String> pendingEnv;
    /** What the next run's starting events carry; the main process of that run gets them. */
    private List<EventDescriptor> pendingDescriptors = List.of();
    private List<EventDescriptor> runDescriptors = List.of();
    /** How the next run's starting events ask for it to be scheduled, and how the current run is. */
    private RunPriority pendingPriority = RunPriority.NORMAL;
    private RunPriority runPriority = RunPriority.NORMAL;
    /** The stop events' or stop request's environment (pre-stop, post-stop). */
    private List<String> stopEnv = List.of();
    /** The job event this job waits for ({@code starting}, {@code stopping}), if any. */
    private QueuedEvent blocker;
    /** The readiness condition the main process is being waited on for, if any. */
    private ReadinessTarget awaiting;

    private boolean failed;
    /** What failed, as the {@code PROCESS} of {@code stopping}/{@code stopped}; see {@link #recordFailure}. */
    private String failedProcess;
    private ProcessExit failedExit;
    /** Why a source aborted the main process ({@code PROCESS} of the failure), until it exits. */
    private String abortedAs;
    /** {@code System.nanoTime()} before which the current phase's timeout does not fire (0: not extended). */
    private long extendedUntil;

    private long respawnWindowStart;
    private int respawnCount;
    private int killToken;
    /** Numbers each spawn's start timeout: a stale timeout (an earlier run's) is ignored. */
    private int startToken;

    /** @param contexts makes the context bound to this job (called once, from here) */
    Job(JobClass jobClass, String instance, List<String> env, Condition<QueuedEvent> stopOn,
            Function<Job, JobContext> contexts) {
        this.jobClass = jobClass;
        this.ref = new InstanceRef(jobClass.name(), instance);
        this.env = List.copyOf(env);
        this.stopOn = stopOn;
        this.context = contexts.apply(this);
    }

    JobClass jobClass() {
        return jobClass;
    }

    String instance() {
        return ref.instance();
    }

    InstanceRef ref() {
        return ref;
    }

    JobGoal goal() {
        return goal;
    }

    JobState state() {
        return state;
    }

    List<String> env() {
        return env;
    }

    List<String> stopEnv() {
        return stopEnv;
    }

    /** The descriptors the current run's starting events carry, for the main process. */
    List<EventDescriptor> runDescriptors() {
        return runDescriptors;
    }

    /** How every process of the current run is scheduled. */
    RunPriority runPriority() {
        return runPriority;
    }

    boolean failed() {
        return failed;
    }

    Optional<Integer> pid(ProcessKind kind) {
        return Optional.ofNullable(pids.get(kind));
    }

    Condition<QueuedEvent> stopCondition() {
        return stopOn;
    }

    /** {@code name} or {@code name (instance)}, as Upstart names jobs in logs and errors. */
    String displayName() {
        return ref.displayName();
    }

    InstanceView view() {
        return new InstanceView(jobClass.name(), ref.instance(), goal, state, pids, env);
    }

    /**
     * What tells when a reload of the ready main process {@code main} is done: the job's
     * readiness kind, if it can tell (sd_notify's {@code RELOADING=1} ... {@code READY=1}).
     */
    Optional<CompletionStage<Void>> reloadWatch(int main) {
        Optional<Readiness> readiness = jobClass.readiness();
        if (readiness.isEmpty() || state != JobState.RUNNING) {
            return Optional.empty();
        }
        try {
            return readiness.get().reload(new ReadinessTarget(ref, main));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "readiness of " + displayName() + " failed to watch a reload", e);
            return Optional.empty();
        }
    }

    /**
     * Takes over a run that the daemon before this one started and left running (see
     * {@link RunRecords}): a new instance, made with the run's environment, goes straight
     * to running, goal start, with {@code pid} as its main process; no event is emitted
     * and nothing is spawned.
     */
    void adoptRun(int pid) {
        adoptRun(pid, new RespawnHistory(0, 0));
    }

    /**
     * {@link #adoptRun(int)} for a run handed over by a re-exec, which also hands over how
     * often the run respawned lately, so that the respawn limit goes on counting.
     */
    void adoptRun(int pid, RespawnHistory respawns) {
        respawnWindowStart = respawns.windowStart();
        respawnCount = respawns.count();
        if (state != JobState.WAITING || goal != JobGoal.STOP) {
            throw new IllegalStateException(displayName() + " is already " + goal.label() + "/" + state.label());
        }
        goal = JobGoal.START;
        pids.put(ProcessKind.MAIN, pid);
        context.adopt(pid);
        // entered last, so the run is recorded once, as any run reaching running is
        state = JobState.RUNNING;
        context.stateChanged(JobState.WAITING, JobState.RUNNING);
    }

    /**
     * The respawns counted toward the limit: {@code count} since {@code windowStart}
     * ({@code System.nanoTime()}, the machine's monotonic clock, so it holds across a re-exec).
     */
    public record RespawnHistory(long windowStart, int count) {}

    RespawnHistory respawns() {
        return new RespawnHistory(respawnWindowStart, respawnCount);
    }

    /**
     * Whether the instance is at rest with nothing under way: running its main process
     * alone toward goal start, or waiting toward stop, holding up no one. A re-exec hands
     * over only instances at rest.
     */
    boolean atRest() {
        boolean running = state == JobState.RUNNING && goal == JobGoal.START
                && pids.size() == 1 && pids.containsKey(ProcessKind.MAIN);
        boolean waiting = state == JobState.WAITING && goal == JobGoal.STOP && pids.isEmpty();
        return (running || waiting) && blocking.isEmpty() && blocker == null && awaiting == null;
    }

    /** {@code initctl set-env} on this instance: later processes see the new table. */
    void replaceEnv(List<String> newEnv) {
        this.env = List.copyOf(newEnv);
    }

    /** The one way in: hands {@code input} to its handler. */
    void handle(JobInput input) {
        input.sendTo(inputs);
    }

    // ---- the handlers ----------------------------------------------------------------

    /** Each input's handler; dispatch inside is by state. */
    private final class Inputs implements JobInput.Receiver {

        @Override
        public void start(JobInput.Start input) {
            blocking.addAll(input.waiters());
            if (input.env() != null) {
                pendingEnv = input.env();
            }
            pendingDescriptors = input.descriptors();
            pendingPriority = input.priority();
            // a respawn under way already heads for start
            if (goal != JobGoal.RESPAWN) {
                changeGoal(JobGoal.START);
            }
        }

        @Override
        public void stop(JobInput.Stop input) {
            blocking.addAll(input.waiters());
            stopEnv = input.stopEnv();
            changeGoal(JobGoal.STOP);
            stopUnreadyMain();
        }

        @Override
        public void spawned(JobInput.Spawned input) {
            ProcessKind kind = input.kind();
            if (!spawning.remove(kind)) {
                throw new IllegalStateException("can't happen: " + displayName() + " got pid " + input.pid()
                        + " for a " + kind.label() + " process it did not ask for");
            }
            pids.put(kind, input.pid());
            if (kind != ProcessKind.MAIN) {
                return; // its state waits for its exit
            }
            if (mainSpawned(input.pid()) == Step.ON) {
                advance();
            } else if (goal == JobGoal.STOP) {
                stopUnreadyMain(); // stopped while the spawn was under way
            }
        }

        @Override
        public void spawnFailed(JobInput.SpawnFailed input) {
            ProcessKind kind = input.kind();
            if (!spawning.remove(kind)) {
                throw new IllegalStateException("can't happen: " + displayName() + " heard of a failed "
                        + kind.label() + " process it did not ask for");
            }
            String why = input.error().getMessage();
            switch (kind) {
                case MAIN -> {
                    spawnFailedAs(kind, why);
                    advance();
                }
                // post-start and pre-stop failures are ignored, as their exit statuses are
                case POST_START, PRE_STOP -> {
                    LOG.log(Level.WARNING, displayName() + " " + kind.label() + " process failed to spawn: " + why);
                    helperExited(kind);
                }
                case PRE_START, POST_STOP -> {
                    spawnFailedAs(kind, why);
                    helperExited(kind);
                }
                case SECURITY -> throw new IllegalStateException("can't happen: a security process is never spawned");
            }
        }

        /**
         * SPEC section 3: kill main, post-stop, pre-start, main, with no pre-stop: the
         * respawn path. On the way up (or down) a stop and a start cancel out, as Upstart's
         * two goal changes do.
         */
        @Override
        public void restart(JobInput.Restart input) {
            blocking.addAll(input.waiters());
            switch (state) {
                case RUNNING -> {
                    changeGoalQuietly(JobGoal.RESPAWN);
                    advance();
                }
                // the respawn is taken when the step under way ends
                case SPAWNED, POST_START, PRE_STOP -> changeGoalQuietly(JobGoal.RESPAWN);
                case WAITING, STARTING, SECURITY, PRE_START, STOPPING, KILLED, POST_STOP -> {
                    changeGoal(JobGoal.STOP);
                    changeGoal(JobGoal.START);
                }
            }
        }

        @Override
        public void processExited(JobInput.ProcessExited input) {
            ProcessKind kind = input.kind();
            ProcessExit exit = input.exit();
            pids.remove(kind);
            logExit(kind, exit);
            switch (kind) {
                case MAIN -> mainExited(exit);
                case PRE_START, POST_STOP -> {
                    // a failed pre-start or post-stop fails and stops the job (a respawn too)
                    if (!exit.exited() || exit.exitCode() != 0) {
                        recordFailure(kind, exit);
                        changeGoalQuietly(JobGoal.STOP);
                    }
                    helperExited(kind);
                }
                // post-start and pre-stop exit statuses are ignored, as Upstart does
                case POST_START, PRE_STOP -> helperExited(kind);
                case SECURITY -> { } // never spawned
            }
        }

        @Override
        public void processStopped(JobInput.ProcessStopped input) {
            boolean expected = state == JobState.SPAWNED && jobClass.expect() == Expect.STOP
                    && input.signal() == Signals.STOP && pid(ProcessKind.MAIN).orElse(-1) == input.pid();
            if (expected) {
                context.resume(input.pid());
                advance();
            }
        }

        @Override
        public void launcherExited(JobInput.LauncherExited input) {
            if (state == JobState.SPAWNED && pid(ProcessKind.MAIN).orElse(-1) == input.pid()) {
                pids.remove(ProcessKind.MAIN);
            }
        }

        @Override
        public void daemonFound(JobInput.DaemonFound input) {
            if (state == JobState.SPAWNED) {
                pids.put(ProcessKind.MAIN, input.pid());
                context.adopt(input.pid());
                advance();
            }
        }

        @Override
        public void ready(JobInput.Ready input) {
            if (state != JobState.SPAWNED || awaiting == null || awaiting.pid() != input.pid()) {
                return; // a stale answer: the process it was about is gone
            }
            awaiting = null;
            if (input.error() != null) {
                LOG.log(Level.WARNING, displayName() + " never became ready: " + input.error().getMessage());
                recordFailure(ProcessKind.MAIN, null);
                changeGoalQuietly(JobGoal.STOP);
                context.kill(input.pid(), jobClass.killSignal()); // its exit moves the job on
                return;
            }
            if (input.mainPid() != input.pid()) {
                moveMain(input.pid(), input.mainPid());
            }
            advance();
        }

        @Override
        public void mainMoved(JobInput.MainMoved input) {
            boolean live = state == JobState.POST_START || state == JobState.RUNNING || state == JobState.PRE_STOP;
            if (!live || pid(ProcessKind.MAIN).orElse(-1) != input.oldPid() || input.oldPid() == input.newPid()) {
                return;
            }
            if (!context.ownerOf(input.newPid()).equals(Optional.of(ref))) {
                LOG.log(Level.WARNING, displayName() + " named " + input.newPid()
                        + " its main process, which is not one of its processes; ignored");
                return;
            }
            moveMain(input.oldPid(), input.newPid());
        }

        @Override
        public void abort(JobInput.Abort input) {
            boolean live = state == JobState.SPAWNED || state == JobState.POST_START || state == JobState.RUNNING
                    || state == JobState.PRE_STOP;
            if (!live || goal == JobGoal.STOP || pid(ProcessKind.MAIN).orElse(-1) != input.pid() || abortedAs != null) {
                return; // being killed anyway, or no longer the process the source meant
            }
            LOG.log(Level.WARNING, displayName() + " main process (" + input.pid() + ") failed its "
                    + input.process() + ", sending ABRT");
            abortedAs = input.process();
            context.kill(input.pid(), Signals.ABRT);
            scheduleKillTimeout(); // and if it ignores the signal, KILL
        }

        @Override
        public void extendTimeout(JobInput.ExtendTimeout input) {
            if (pid(ProcessKind.MAIN).orElse(-1) == input.pid()) {
                extendedUntil = Math.max(extendedUntil, System.nanoTime() + input.extension().toNanos());
            }
        }

        @Override
        public void killTimeout(JobInput.KillTimeout input) {
            Integer main = pids.get(ProcessKind.MAIN);
            boolean killing = state == JobState.KILLED || state == JobState.SPAWNED && goal == JobGoal.STOP
                    || abortedAs != null;
            if (!killing || input.token() != killToken) {
                return;
            }
            if (stillExtended()) {
                context.scheduleKillTimeout(killToken, Duration.ofNanos(extendedUntil - System.nanoTime()));
                return;
            }
            if (main != null) {
                LOG.log(Level.WARNING, displayName() + " main process (" + main + ") killed by timeout, sending KILL");
                context.kill(main, Signals.KILL);
            }
            if (state == JobState.KILLED) {
                List<Integer> leftovers = context.leftovers();
                if (!leftovers.isEmpty()) {
                    LOG.log(Level.WARNING, displayName() + " processes " + leftovers
                            + " outlived the kill timeout, sending KILL");
                    leftovers.forEach(pid -> context.kill(pid, Signals.KILL));
                }
            }
        }

        @Override
        public void leftoversCheck(JobInput.LeftoversCheck input) {
            if (state == JobState.KILLED && !pids.containsKey(ProcessKind.MAIN)) {
                awaitLeftovers();
            }
        }

        @Override
        public void startTimeout(JobInput.StartTimeout input) {
            Integer main = pids.get(ProcessKind.MAIN);
            if (state != JobState.SPAWNED || input.token() != startToken || main == null) {
                return; // ready in time, or this run is over
            }
            if (stillExtended()) {
                context.scheduleStartTimeout(startToken, Duration.ofNanos(extendedUntil - System.nanoTime()));
                return;
            }
            LOG.log(Level.WARNING, displayName() + " main process (" + main + ") not ready within "
                    + jobClass.startTimeout() + " s (start timeout), killing it");
            abandonReadiness();
            recordFailure(ProcessKind.MAIN, null);
            changeGoalQuietly(JobGoal.STOP);
            context.kill(main, jobClass.killSignal()); // its exit moves the job on
            scheduleKillTimeout(); // and if it ignores the signal, KILL
        }

        @Override
        public void needFailed(JobInput.NeedFailed input) {
            if (state != JobState.STARTING || input.starting() != blocker) {
                return; // an earlier run's need
            }
            LOG.log(Level.WARNING, displayName() + " needed job " + input.job() + " failed to start");
            recordFailure(NEEDS, null);
            // the starting event still holds this job; when it finishes the job turns to stopping
            changeGoalQuietly(JobGoal.STOP);
        }

        @Override
        public void eventFinished(JobInput.EventFinished input) {
            if (input.event() == blocker) {
                blocker = null;
                advance();
            }
        }
    }

    private void moveMain(int from, int to) {
        LOG.log(Level.INFO, displayName() + " main process is now " + to);
        context.disown(from);
        pids.put(ProcessKind.MAIN, to);
        context.adopt(to);
    }

    /** Whether the daemon asked for more time than the phase's timeout gave, and has some left. */
    private boolean stillExtended() {
        return extendedUntil != 0 && extendedUntil - System.nanoTime() > 0;
    }

    private void scheduleKillTimeout() {
        context.scheduleKillTimeout(++killToken, Duration.ofSeconds(jobClass.killTimeout()));
    }

    /** The helper of {@code kind} ended; its state waited for it, so move on. */
    private void helperExited(ProcessKind kind) {
        JobState helperState = switch (kind) {
            case PRE_START -> JobState.PRE_START;
            case POST_START -> JobState.POST_START;
            case PRE_STOP -> JobState.PRE_STOP;
            case POST_STOP -> JobState.POST_STOP;
            case MAIN, SECURITY -> throw new IllegalStateException("can't happen: " + kind + " is no helper");
        };
        if (state == helperState) {
            advance();
        }
    }

    private void mainExited(ProcessExit exit) {
        switch (state) {
            case SPAWNED, POST_START, RUNNING, PRE_STOP -> {
                if (goal != JobGoal.STOP) {
                    judgeMainExit(exit);
                }
                abandonReadiness();
                boolean helperRunning = state == JobState.POST_START && running(ProcessKind.POST_START)
                        || state == JobState.PRE_STOP && running(ProcessKind.PRE_STOP);
                // with a helper running, its exit moves on, towards what the goal now says
                if (!helperRunning) {
                    advance();
                }
            }
            case KILLED -> awaitLeftovers();
            // stopping waits for its event; killed then finds no main process
            case WAITING, STARTING, SECURITY, PRE_START, STOPPING, POST_STOP -> { }
        }
    }

    /**
     * Upstart's rule: is this exit a failure, and does it respawn? Sets the goal to
     * stop, or to respawn.
     */
    private void judgeMainExit(ProcessExit exit) {
        if (abortedAs != null) {
            recordFailure(abortedAs, exit); // a failure even when it respawns
        }
        boolean normalListed = jobClass.normalExit().contains(exit.normalExitKey());
        boolean nonZero = !exit.exited() || exit.exitCode() != 0;
        boolean abnormal = !normalListed && (nonZero || jobClass.respawn() && !jobClass.task());
        if (abnormal && jobClass.respawn()) {
            if (respawnTooFast()) {
                LOG.log(Level.WARNING, displayName() + " respawning too fast, stopped");
                recordFailure(RESPAWN, null);
                changeGoalQuietly(JobGoal.STOP);
            } else {
                LOG.log(Level.INFO, displayName() + " main process ended, respawning");
                changeGoalQuietly(JobGoal.RESPAWN);
            }
        } else {
            if (abnormal) {
                recordFailure(ProcessKind.MAIN, exit);
            }
            changeGoalQuietly(JobGoal.STOP);
        }
    }

    private boolean respawnTooFast() {
        if (jobClass.respawnLimit() == 0 || jobClass.respawnInterval() == 0) {
            return false;
        }
        long now = System.nanoTime();
        if (respawnCount == 0 || now - respawnWindowStart > jobClass.respawnInterval() * 1_000_000_000L) {
            respawnWindowStart = now;
            respawnCount = 1;
            return false;
        }
        return ++respawnCount > jobClass.respawnLimit();
    }

    // ---- goal and state --------------------------------------------------------------

    /**
     * Changes the goal. Only the rest states move at once; every other state picks the
     * new goal up when its current step ends (a running pre-start is left to finish).
     */
    private void changeGoal(JobGoal newGoal) {
        if (goal == newGoal) {
            return;
        }
        changeGoalQuietly(newGoal);
        if (state == JobState.WAITING && newGoal == JobGoal.START
                || state == JobState.RUNNING && newGoal == JobGoal.STOP) {
            advance();
        }
    }

    /** Sets the goal without moving: the caller moves itself, or the current step will. */
    private void changeGoalQuietly(JobGoal newGoal) {
        if (goal != newGoal) {
            JobGoal old = goal;
            goal = newGoal;
            LOG.log(Level.DEBUG, () -> displayName() + " goal changed from " + old.label() + " to "
                    + newGoal.label());
        }
    }

    /**
     * Leaves the current state by the table, and keeps going while the entry action of
     * each new state moves on: a loop, never recursion.
     */
    private void advance() {
        Step step = Step.ON;
        while (step == Step.ON) {
            JobState from = state;
            JobState to = JobTransitions.next(from, goal);
            changeGoalQuietly(JobTransitions.goalAfter(from, goal));
            state = to;
            LOG.log(Level.DEBUG, () -> displayName() + " state changed from " + from.label() + " to "
                    + to.label());
            context.stateChanged(from, to);
            step = enter(from, to);
        }
    }

    /** The entry action of {@code to}, reached from {@code from}. */
    private Step enter(JobState from, JobState to) {
        if (!JobTransitions.predecessors(to).contains(from)) {
            throw new IllegalStateException("can't happen: " + displayName() + " entered " + to.label()
                    + " from " + from.label());
        }
        return switch (to) {
            case STARTING -> enterStarting();
            case SECURITY -> Step.ON; // apparmor load is left to the apparmor service; switch is applied at spawn
            case PRE_START -> runHelper(ProcessKind.PRE_START);
            case SPAWNED -> enterSpawned();
            case POST_START -> runHelper(ProcessKind.POST_START);
            case RUNNING -> enterRunning();
            // pre-stop runs only for a live main process
            case PRE_STOP -> pids.containsKey(ProcessKind.MAIN) ? runHelper(ProcessKind.PRE_STOP) : Step.ON;
            case STOPPING -> enterStopping();
            case KILLED -> enterKilled();
            case POST_STOP -> runHelper(ProcessKind.POST_STOP);
            case WAITING -> enterWaiting();
        };
    }

    private Step enterStarting() {
        if (pendingEnv != null) {
            env = pendingEnv;
            pendingEnv = null;
        }
        runDescriptors = pendingDescriptors;
        pendingDescriptors = List.of();
        runPriority = pendingPriority;
        pendingPriority = RunPriority.NORMAL;
        failed = false;
        failedProcess = null;
        failedExit = null;
        abortedAs = null;
        extendedUntil = 0;
        if (stopOn != null) {
            stopOn.reset();
        }
        context.milestone(new InstanceChange(ref, InstanceChange.Phase.STARTING, Optional.empty()));
        waitFor(context.emit(jobEvent("starting", false)));
        return Step.STAY;
    }

    private Step enterSpawned() {
        if (jobClass.main().isEmpty()) {
            return Step.ON;
        }
        spawn(ProcessKind.MAIN);
        runDescriptors = List.of(); // in the request now: the spawn inherits them
        return Step.STAY;
    }

    /** The main process runs as {@code pid}: wait for it to be ready, or move on. */
    private Step mainSpawned(int pid) {
        ++startToken;
        // expect fork/daemon is not timed here: the daemon tracker has its own give-up, and
        // the pid to kill may be a parent that is long gone
        if (jobClass.startTimeout() > 0 && (jobClass.readiness().isPresent() || jobClass.expect() == Expect.STOP)) {
            context.scheduleStartTimeout(startToken, Duration.ofSeconds(jobClass.startTimeout()));
        }
        Optional<Readiness> readiness = jobClass.readiness();
        if (readiness.isPresent()) {
            awaiting = new ReadinessTarget(ref, pid);
            context.awaitReadiness(readiness.get(), awaiting);
            return Step.STAY;
        }
        return switch (jobClass.expect()) {
            case NONE -> Step.ON;
            case FORK, DAEMON -> {
                context.trackDaemon(pid);
                yield Step.STAY;
            }
            case STOP -> Step.STAY; // until the process stops itself
        };
    }

    /**
     * Goal stop while spawned: a main process that may never become ready (a daemon that
     * never raises SIGSTOP or says READY=1) is not waited for, it is stopped as it is. A
     * forking daemon is still being looked for; its tracker ends the wait either way.
     */
    private void stopUnreadyMain() {
        boolean waitingForReady = awaiting != null || jobClass.expect() == Expect.STOP;
        if (state == JobState.SPAWNED && waitingForReady && pids.containsKey(ProcessKind.MAIN)) {
            abandonReadiness();
            advance();
        }
    }

    private Step enterRunning() {
        extendedUntil = 0; // an extension is for the phase it was asked in
        context.emit(jobEvent("started", false));
        context.milestone(new InstanceChange(ref, InstanceChange.Phase.STARTED, Optional.empty()));
        if (!jobClass.task()) {
            releaseBlocking(false);
            return Step.STAY;
        }
        // a task holds its events until it has finished; one whose main is gone is done
        if (pids.containsKey(ProcessKind.MAIN)) {
            return Step.STAY;
        }
        changeGoalQuietly(JobGoal.STOP);
        return Step.ON;
    }

    private Step enterStopping() {
        context.milestone(new InstanceChange(ref, InstanceChange.Phase.STOPPING, failure()));
        waitFor(context.emit(jobEvent("stopping", true)));
        return Step.STAY;
    }

    /**
     * Ends the main process and every other process left in the job's cgroup (a master's
     * workers, a daemon's helpers): a job owns all its processes, so none outlives its
     * stop or holds what the next run needs.
     */
    private Step enterKilled() {
        Integer main = pids.get(ProcessKind.MAIN);
        List<Integer> leftovers = context.leftovers();
        if (main == null && leftovers.isEmpty()) {
            return Step.ON;
        }
        extendedUntil = 0;
        if (main != null) {
            LOG.log(Level.DEBUG, () -> "Sending " + Signals.name(jobClass.killSignal())
                    + " signal to " + displayName() + " main process (" + main + ")");
            context.kill(main, jobClass.killSignal());
        }
        for (int pid : leftovers) {
            if (main == null || pid != main) {
                context.kill(pid, jobClass.killSignal());
            }
        }
        scheduleKillTimeout();
        if (main == null) {
            context.scheduleLeftoversCheck();
        }
        return Step.STAY;
    }

    /** Killed, with the main process gone: moves on once the rest of the job's processes are. */
    private void awaitLeftovers() {
        if (context.leftovers().isEmpty()) {
            advance();
        } else {
            context.scheduleLeftoversCheck();
        }
    }

    private Step enterWaiting() {
        context.emit(jobEvent("stopped", true));
        releaseBlocking(failed);
        if (goal == JobGoal.START) {
            return Step.ON;
        }
        context.milestone(new InstanceChange(ref, InstanceChange.Phase.STOPPED, failure()));
        context.instanceStopped();
        return Step.STAY;
    }

    /** Spawns a hook process if the job defines one, and waits for it to end; else moves on. */
    private Step runHelper(ProcessKind kind) {
        if (!jobClass.processes().containsKey(kind)) {
            return Step.ON;
        }
        spawn(kind);
        return Step.STAY;
    }

    private void spawn(ProcessKind kind) {
        spawning.add(kind);
        context.spawn(kind);
    }

    /** Whether a process of {@code kind} runs, or is being spawned. */
    private boolean running(ProcessKind kind) {
        return pids.containsKey(kind) || spawning.contains(kind);
    }

    /** A failed spawn of {@code kind} fails the run and stops it. */
    private void spawnFailedAs(ProcessKind kind, String why) {
        LOG.log(Level.WARNING, displayName() + " " + kind.label() + " process failed to spawn: " + why);
        recordFailure(kind, null);
        changeGoalQuietly(JobGoal.STOP);
    }

    private void waitFor(QueuedEvent event) {
        blocker = event;
        event.whenFinished(() -> handle(new JobInput.EventFinished(event)));
    }

    private void abandonReadiness() {
        if (awaiting != null) {
            context.abandonReadiness(jobClass.readiness().orElseThrow(), awaiting);
            awaiting = null;
        }
    }

    private void releaseBlocking(boolean asFailed) {
        List<Blocked> waiting = new ArrayList<>(blocking);
        blocking.clear();
        for (Blocked waiter : waiting) {
            waiter.release(asFailed);
        }
    }

    /** The first failure of a run wins. */
    private void recordFailure(ProcessKind kind, ProcessExit exit) {
        recordFailure(kind.label(), exit);
    }

    /** @param process {@code PROCESS}: a process label, {@link #RESPAWN} or {@link #NEEDS} */
    private void recordFailure(String process, ProcessExit exit) {
        if (!failed) {
            failed = true;
            failedProcess = process;
            failedExit = exit;
        }
    }

    private void logExit(ProcessKind kind, ProcessExit exit) {
        boolean ordinary = exit.exited() && exit.exitCode() == 0;
        Level level = ordinary || goal == JobGoal.STOP ? Level.DEBUG : Level.WARNING;
        LOG.log(level, () -> displayName() + " " + kind.label() + " process (" + exit.pid() + ") "
                + (exit.exited() ? "terminated with status " + exit.exitCode()
                        : "killed by " + Signals.name(exit.signal()) + " signal"));
    }

    // ---- what the job tells others -----------------------------------------------------

    private Optional<InstanceChange.Failure> failure() {
        if (!failed) {
            return Optional.empty();
        }
        String process = failedProcess;
        if (failedExit == null) {
            return Optional.of(new InstanceChange.Failure(process, OptionalInt.empty(), Optional.empty()));
        }
        return Optional.of(failedExit.exited()
                ? new InstanceChange.Failure(process, OptionalInt.of(failedExit.exitCode()), Optional.empty())
                : new InstanceChange.Failure(process, OptionalInt.empty(),
                        Optional.of(Signals.name(failedExit.signal()))));
    }

    private Event jobEvent(String name, boolean withResult) {
        List<String> vars = new ArrayList<>();
        vars.add("JOB=" + jobClass.name());
        vars.add("INSTANCE=" + ref.instance());
        if (withResult) {
            Optional<InstanceChange.Failure> failure = failure();
            vars.add("RESULT=" + (failure.isPresent() ? "failed" : "ok"));
            failure.ifPresent(f -> {
                vars.add("PROCESS=" + f.process());
                f.exitStatus().ifPresent(status -> vars.add("EXIT_STATUS=" + status));
                f.exitSignal().ifPresent(signal -> vars.add("EXIT_SIGNAL=" + signal));
            });
        }
        for (String exported : jobClass.export()) {
            Environ.lookup(env, exported).ifPresent(value -> vars.add(exported + "=" + value));
        }
        return new Event(name, vars);
    }
}
