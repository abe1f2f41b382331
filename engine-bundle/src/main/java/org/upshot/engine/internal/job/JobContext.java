package org.upshot.engine.internal.job;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.upshot.engine.internal.event.QueuedEvent;
import org.upshot.event.Event;
import org.upshot.job.InstanceChange;
import org.upshot.job.InstanceRef;
import org.upshot.job.JobState;
import org.upshot.job.ProcessKind;
import org.upshot.spi.stanza.Readiness;
import org.upshot.spi.stanza.ReadinessTarget;

/**
 * What one {@link Job} needs from the engine that owns it: each job has its own, bound
 * to it when the job is made. Every method runs on the engine thread and returns at
 * once; results come back later as {@link JobInput}s. An interface that names no job, so
 * a job can be driven on its own in tests, and the job and the classes that route its
 * inputs never depend on each other both ways.
 */
interface JobContext {

    /** Queues a job event. */
    QueuedEvent emit(Event event);

    /**
     * Starts spawning one of the job's processes, from the job's state now; the pid comes
     * back as {@link JobInput.Spawned} (before its exit, routed to the job as well), a
     * failure as {@link JobInput.SpawnFailed}.
     */
    void spawn(ProcessKind kind);

    /** Routes the exit of {@code pid} (a daemon's real pid, a new main pid) to the job as its main. */
    void adopt(int pid);

    /** Stops routing the exit of {@code pid} to any job (supervision moved elsewhere). */
    void disown(int pid);

    /** Sends a signal to a process group, or to the process if the group is gone. */
    void kill(int pid, int signal);

    /** Sends SIGCONT (expect stop). */
    void resume(int pid);

    /** Arranges a {@link JobInput.KillTimeout} for the job after {@code delay}. */
    void scheduleKillTimeout(int token, Duration delay);

    /** Arranges a {@link JobInput.StartTimeout} for the job after {@code delay}. */
    void scheduleStartTimeout(int token, Duration delay);

    /**
     * Every process in the job's cgroup now (the main process too, while it lives); empty
     * when the job has no cgroup. What a stop must end besides the main process.
     */
    List<Integer> leftovers();

    /** Arranges a {@link JobInput.LeftoversCheck} for the job shortly. */
    void scheduleLeftoversCheck();

    /** The instance {@code pid} is a process of, or descends from; empty if none. */
    Optional<InstanceRef> ownerOf(int pid);

    /**
     * Starts following a forking daemon (expect fork/daemon) whose first process is
     * {@code pid}; its final pid comes back as {@link JobInput.DaemonFound}, a failure as
     * the main process's {@link JobInput.ProcessExited}.
     */
    void trackDaemon(int pid);

    /** Waits for an extension's readiness condition; completion comes back as {@link JobInput.Ready}. */
    void awaitReadiness(Readiness readiness, ReadinessTarget target);

    /** The job stopped waiting for {@code target}: tell the extension. */
    void abandonReadiness(Readiness readiness, ReadinessTarget target);

    /** The instance moved from {@code from} to {@code to} (for the journal); called as it enters {@code to}. */
    void stateChanged(JobState from, JobState to);

    /** The instance passed a milestone that event sources follow. */
    void milestone(InstanceChange change);

    /** The instance reached {@code waiting} with goal stop: forget it. */
    void instanceStopped();
}
