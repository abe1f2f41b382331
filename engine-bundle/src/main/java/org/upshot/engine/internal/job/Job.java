package org.upshot.engine.internal.job;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.upshot.engine.internal.event.Blocked;
import org.upshot.engine.internal.event.QueuedEvent;
import org.upshot.engine.internal.match.Condition;
import org.upshot.engine.internal.match.Environ;
import org.upshot.engine.internal.state.JobTransitions;
import org.upshot.engine.internal.model.Expect;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.event.Event;
import org.upshot.job.InstanceView;
import org.upshot.job.JobGoal;
import org.upshot.job.JobState;
import org.upshot.job.ProcessKind;
import org.upshot.process.PosixException;
import org.upshot.process.ProcessExit;
import org.upshot.process.Signals;
import org.upshot.spi.stanza.Readiness;

/**
 * One instance of a job: its goal, its state, its processes and the events it holds.
 * Engine thread only; see the package essay for the rules this class follows.
 */
final class Job {

    private static final Logger LOG = System.getLogger(Job.class.getName());

    private final JobClass jobClass;
    private final String instance;
    private final JobContext context;
    private final Map<ProcessKind, Integer> pids = new EnumMap<>(ProcessKind.class);
    private final List<Blocked> blocking = new ArrayList<>();
    private final Condition<QueuedEvent> stopOn;

    private JobGoal goal = JobGoal.STOP;
    private JobState state = JobState.WAITING;
    /** The environment of the current run: job env, start events or request, UPSTART_*. */
    private List<String> env;
    /** A new start environment kept aside until the next pass through {@code starting}. */
    private List<String> pendingEnv;
    /** The stop events' or stop request's environment (pre-stop, post-stop). */
    private List<String> stopEnv = List.of();
    /** The job event this job waits for ({@code starting}, {@code stopping}), if any. */
    private QueuedEvent blocker;

    private boolean failed;
    /** What failed; null with {@link #failed} means the respawn limit. */
    private ProcessKind failedProcess;
    private ProcessExit failedExit;

    private long respawnWindowStart;
    private int respawnCount;
    private int killToken;
    /** The main process ended while post-start or pre-stop still ran; act when it ends. */
    private boolean mainEndedDuringHelper;

    Job(JobClass jobClass, String instance, List<String> env, Condition<QueuedEvent> stopOn,
            JobContext context) {
        this.jobClass = jobClass;
        this.instance = instance;
        this.env = List.copyOf(env);
        this.stopOn = stopOn;
        this.context = context;
    }

    JobClass jobClass() {
        return jobClass;
    }

    String instance() {
        return instance;
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
        return instance.isEmpty() ? jobClass.name() : jobClass.name() + " (" + instance + ")";
    }

    InstanceView view() {
        return new InstanceView(jobClass.name(), instance, goal, state, pids, env);
    }

    /** Adds something that waits for this job to come to rest. */
    void block(Blocked waiter) {
        blocking.add(waiter);
    }

    /** Start (again) with {@code newEnv} once the job next passes through {@code starting}. */
    void setPendingEnv(List<String> newEnv) {
        this.pendingEnv = List.copyOf(newEnv);
    }

    /** {@code initctl set-env} on this instance: later processes see the new table. */
    void replaceEnv(List<String> newEnv) {
        this.env = List.copyOf(newEnv);
    }

    void setStopEnv(List<String> newStopEnv) {
        this.stopEnv = List.copyOf(newStopEnv);
    }

    // ---- goal ------------------------------------------------------------------------

    /**
     * Changes the goal. Only the rest states move at once; every other state picks the
     * new goal up when its current step ends (a running pre-start is left to finish).
     */
    void changeGoal(JobGoal newGoal) {
        if (goal == newGoal) {
            return;
        }
        JobGoal old = goal;
        goal = newGoal;
        LOG.log(Level.DEBUG, () -> displayName() + " goal changed from " + old.label() + " to "
                + newGoal.label());
        if (state == JobState.WAITING && newGoal == JobGoal.START
                || state == JobState.RUNNING && newGoal == JobGoal.STOP) {
            changeState(next());
        }
    }

    // ---- state -----------------------------------------------------------------------

    /** Moves through states until one has to wait; a loop, never recursion. */
    void changeState(JobState target) {
        JobState wanted = target;
        while (wanted != state) {
            JobState old = state;
            JobState now = wanted;
            state = now;
            LOG.log(Level.DEBUG, () -> displayName() + " state changed from " + old.label() + " to "
                    + now.label());
            wanted = enter(wanted);
        }
    }

    /** The transition table's next state; leaving with goal respawn turns it back into start. */
    private JobState next() {
        JobState next = JobTransitions.next(state, goal);
        changeGoalQuietly(JobTransitions.goalAfter(state, goal));
        return next;
    }

    /** The entry action of {@code entered}; returns the state to move on to, or itself to wait. */
    private JobState enter(JobState entered) {
        switch (entered) {
            case STARTING -> {
                if (pendingEnv != null) {
                    env = pendingEnv;
                    pendingEnv = null;
                }
                failed = false;
                failedProcess = null;
                failedExit = null;
                if (stopOn != null) {
                    stopOn.reset();
                }
                waitFor(context.emit(jobEvent("starting", false)));
                return entered;
            }
            case SECURITY -> {
                return next(); // apparmor is not supported: nothing to load
            }
            case PRE_START -> {
                return runHelper(ProcessKind.PRE_START) ? entered : next();
            }
            case SPAWNED -> {
                return enterSpawned();
            }
            case POST_START -> {
                return runHelper(ProcessKind.POST_START) ? entered : next();
            }
            case RUNNING -> {
                context.emit(jobEvent("started", false));
                // a task holds its events until it has finished; a service once it runs
                if (!jobClass.task() || !pids.containsKey(ProcessKind.MAIN)) {
                    if (jobClass.task()) {
                        // a task whose main is already gone (or has none) is done
                        changeGoalQuietly(JobGoal.STOP);
                        return next();
                    }
                    releaseBlocking(false);
                }
                return entered;
            }
            case PRE_STOP -> {
                return pids.containsKey(ProcessKind.MAIN) && runHelper(ProcessKind.PRE_STOP)
                        ? entered : next();
            }
            case STOPPING -> {
                waitFor(context.emit(jobEvent("stopping", true)));
                return entered;
            }
            case KILLED -> {
                Integer main = pids.get(ProcessKind.MAIN);
                if (main == null) {
                    return next();
                }
                LOG.log(Level.DEBUG, () -> "Sending " + Signals.name(jobClass.killSignal())
                        + " signal to " + displayName() + " main process (" + main + ")");
                context.kill(main, jobClass.killSignal());
                context.scheduleKillTimeout(this, ++killToken);
                return entered;
            }
            case POST_STOP -> {
                return runHelper(ProcessKind.POST_STOP) ? entered : next();
            }
            case WAITING -> {
                context.emit(jobEvent("stopped", true));
                releaseBlocking(failed);
                if (goal == JobGoal.STOP) {
                    context.instanceStopped(this);
                }
                return goal == JobGoal.START ? JobState.STARTING : entered;
            }
        }
        throw new IllegalStateException("can't happen: " + displayName() + " entered " + entered);
    }

    private JobState enterSpawned() {
        if (jobClass.main().isEmpty()) {
            return next();
        }
        int pid;
        try {
            pid = context.spawn(this, ProcessKind.MAIN);
        } catch (PosixException e) {
            spawnFailed(ProcessKind.MAIN, e);
            return next();
        }
        pids.put(ProcessKind.MAIN, pid);
        Optional<Readiness> readiness = context.readiness(this);
        if (readiness.isPresent()) {
            context.awaitReadiness(this, pid, readiness.get());
            return JobState.SPAWNED;
        }
        switch (jobClass.expect()) {
            case NONE -> {
                return next();
            }
            case FORK, DAEMON -> context.trackDaemon(this, pid);
            case STOP -> { } // wait for the process to stop itself
        }
        return JobState.SPAWNED;
    }

    /** Spawns a hook process if the job defines it; false if there is none (or it failed to spawn). */
    private boolean runHelper(ProcessKind kind) {
        if (!jobClass.processes().containsKey(kind)) {
            return false;
        }
        try {
            pids.put(kind, context.spawn(this, kind));
            return true;
        } catch (PosixException e) {
            // post-start and pre-stop failures are ignored, as their exit statuses are
            if (kind == ProcessKind.PRE_START || kind == ProcessKind.POST_STOP) {
                spawnFailed(kind, e);
            } else {
                LOG.log(Level.WARNING, displayName() + " " + kind.label() + " process failed to spawn: "
                        + e.getMessage());
            }
            return false;
        }
    }

    private void spawnFailed(ProcessKind kind, PosixException e) {
        LOG.log(Level.WARNING, displayName() + " " + kind.label() + " process failed to spawn: "
                + e.getMessage());
        recordFailure(kind, null);
        changeGoalQuietly(JobGoal.STOP);
    }

    private void waitFor(QueuedEvent event) {
        blocker = event;
        event.whenFinished(() -> {
            if (blocker == event) {
                blocker = null;
                changeState(next());
            }
        });
    }

    private void releaseBlocking(boolean asFailed) {
        List<Blocked> waiting = new ArrayList<>(blocking);
        blocking.clear();
        for (Blocked waiter : waiting) {
            waiter.release(asFailed);
        }
    }

    /** Sets the goal without moving: the caller is about to move itself. */
    private void changeGoalQuietly(JobGoal newGoal) {
        if (goal != newGoal) {
            JobGoal old = goal;
            goal = newGoal;
            LOG.log(Level.DEBUG, () -> displayName() + " goal changed from " + old.label() + " to "
                    + newGoal.label());
        }
    }

    private void recordFailure(ProcessKind kind, ProcessExit exit) {
        if (!failed) {
            failed = true;
            failedProcess = kind;
            failedExit = exit;
        }
    }

    // ---- inputs ----------------------------------------------------------------------

    /** One of this job's processes ended (already reaped). */
    void processExited(ProcessKind kind, ProcessExit exit) {
        pids.remove(kind);
        logExit(kind, exit);
        switch (kind) {
            case MAIN -> mainExited(exit);
            case PRE_START -> {
                if (!isNormalHelperExit(exit)) {
                    recordFailure(ProcessKind.PRE_START, exit);
                    changeGoalQuietly(JobGoal.STOP);
                }
                if (state == JobState.PRE_START) {
                    changeState(next());
                }
            }
            case POST_START, PRE_STOP -> helperExited(kind);
            case POST_STOP -> {
                if (!isNormalHelperExit(exit)) {
                    recordFailure(ProcessKind.POST_STOP, exit);
                }
                if (state == JobState.POST_STOP) {
                    changeState(next());
                }
            }
            case SECURITY -> { } // never spawned
        }
    }

    private static boolean isNormalHelperExit(ProcessExit exit) {
        return exit.exited() && exit.exitCode() == 0;
    }

    private void helperExited(ProcessKind kind) {
        JobState helperState = kind == ProcessKind.POST_START ? JobState.POST_START : JobState.PRE_STOP;
        if (state != helperState) {
            return;
        }
        if (mainEndedDuringHelper) {
            mainEndedDuringHelper = false;
            changeState(next()); // a respawn goal leaves for stopping and turns back into start
            return;
        }
        changeState(next());
    }

    private void mainExited(ProcessExit exit) {
        switch (state) {
            case SPAWNED, POST_START, RUNNING, PRE_STOP -> {
                if (goal != JobGoal.STOP) {
                    judgeMainExit(exit);
                }
                boolean helperRunning = state == JobState.POST_START
                        && pids.containsKey(ProcessKind.POST_START)
                        || state == JobState.PRE_STOP && pids.containsKey(ProcessKind.PRE_STOP);
                if (helperRunning) {
                    mainEndedDuringHelper = true;
                    if (goal == JobGoal.START) {
                        changeGoalQuietly(JobGoal.RESPAWN);
                    }
                    return;
                }
                if (state == JobState.SPAWNED && goal == JobGoal.START) {
                    // died before it was ready: a respawn goes round again from stopping
                    changeState(JobState.STOPPING);
                    return;
                }
                changeState(goal == JobGoal.START ? JobState.STOPPING : next());
            }
            case KILLED -> changeState(next());
            default -> { } // stopping: the kill step sees it gone
        }
    }

    /** Upstart's rule: is this exit a failure, and does it respawn? Sets the goal. */
    private void judgeMainExit(ProcessExit exit) {
        boolean normalListed = jobClass.normalExit().contains(exit.normalExitKey());
        boolean nonZero = !exit.exited() || exit.exitCode() != 0;
        boolean abnormal = !normalListed && (nonZero || jobClass.respawn() && !jobClass.task());
        if (abnormal && jobClass.respawn()) {
            if (respawnTooFast()) {
                LOG.log(Level.WARNING, displayName() + " respawning too fast, stopped");
                recordFailure(null, null);
                changeGoalQuietly(JobGoal.STOP);
            } else {
                LOG.log(Level.INFO, displayName() + " main process ended, respawning");
            }
        } else if (abnormal) {
            recordFailure(ProcessKind.MAIN, exit);
            changeGoalQuietly(JobGoal.STOP);
        } else {
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

    private void logExit(ProcessKind kind, ProcessExit exit) {
        boolean ordinary = exit.exited() && exit.exitCode() == 0;
        Level level = ordinary || goal == JobGoal.STOP ? Level.DEBUG : Level.WARNING;
        LOG.log(level, () -> displayName() + " " + kind.label() + " process (" + exit.pid() + ") "
                + (exit.exited() ? "terminated with status " + exit.exitCode()
                        : "killed by " + Signals.name(exit.signal()) + " signal"));
    }

    /** The main process stopped itself (expect stop). */
    void processStopped(int pid, int signal) {
        if (state == JobState.SPAWNED && jobClass.expect() == Expect.STOP && signal == Signals.STOP
                && pid(ProcessKind.MAIN).orElse(-1) == pid) {
            context.resume(pid);
            changeState(next());
        }
    }

    /** A forking daemon's final process is known (expect fork/daemon). */
    void daemonFound(int pid) {
        if (state != JobState.SPAWNED) {
            return;
        }
        pids.put(ProcessKind.MAIN, pid);
        context.adopt(this, pid);
        changeState(next());
    }

    /** An extension's readiness condition completed for {@code pid}. */
    void readinessReached(int pid, Throwable error) {
        if (state != JobState.SPAWNED || pid(ProcessKind.MAIN).orElse(-1) != pid) {
            return;
        }
        if (error != null) {
            LOG.log(Level.WARNING, displayName() + " never became ready: " + error.getMessage());
            recordFailure(ProcessKind.MAIN, null);
            changeGoalQuietly(JobGoal.STOP);
            context.kill(pid, jobClass.killSignal());
            return;
        }
        changeState(next());
    }

    /** The kill timeout ran out; escalate if this is still the same kill. */
    void killTimedOut(int token) {
        Integer main = pids.get(ProcessKind.MAIN);
        if (state == JobState.KILLED && token == killToken && main != null) {
            LOG.log(Level.WARNING, displayName() + " main process (" + main + ") killed by timeout, sending KILL");
            context.kill(main, Signals.KILL);
        }
    }

    // ---- job events ------------------------------------------------------------------

    private Event jobEvent(String name, boolean withResult) {
        List<String> vars = new ArrayList<>();
        vars.add("JOB=" + jobClass.name());
        vars.add("INSTANCE=" + instance);
        if (withResult) {
            vars.add("RESULT=" + (failed ? "failed" : "ok"));
            if (failed) {
                vars.add("PROCESS=" + (failedProcess == null ? "respawn" : failedProcess.label()));
                if (failedExit != null) {
                    vars.add(failedExit.exited() ? "EXIT_STATUS=" + failedExit.exitCode()
                            : "EXIT_SIGNAL=" + Signals.name(failedExit.signal()));
                }
            }
        }
        for (String name2 : jobClass.export()) {
            Environ.lookup(env, name2).ifPresent(value -> vars.add(name2 + "=" + value));
        }
        return new Event(name, vars);
    }
}
