package org.upshot.engine.internal.job;

import java.util.Optional;
import org.upshot.engine.internal.event.QueuedEvent;
import org.upshot.event.Event;
import org.upshot.job.ProcessKind;
import org.upshot.process.PosixException;
import org.upshot.spi.stanza.Readiness;

/**
 * What a {@link Job} needs from the engine that owns it. Every method runs on the
 * engine thread and returns at once; results come back later as engine messages.
 */
interface JobContext {

    /** Queues a job event. */
    QueuedEvent emit(Event event);

    /** Spawns one of the job's processes and routes its exit back to the job. */
    int spawn(Job job, ProcessKind kind) throws PosixException;

    /** Routes the exit of {@code pid} (a forking daemon's real pid) to the job as its main. */
    void adopt(Job job, int pid);

    /** Sends a signal to a process group, or to the process if the group is gone. */
    void kill(int pid, int signal);

    /** Arranges a {@link EngineInput.KillTimeout} for the job after its kill timeout. */
    void scheduleKillTimeout(Job job, int token);

    /**
     * Starts following a forking daemon (expect fork/daemon) whose first process is
     * {@code pid}; the engine reports its final pid through {@link Job#daemonFound}.
     */
    void trackDaemon(Job job, int pid);

    /** Waits for an extension's readiness condition; completion comes back as a message. */
    void awaitReadiness(Job job, int pid, Readiness readiness);

    /** The readiness an extension stanza contributes to this job, if any. */
    Optional<Readiness> readiness(Job job);

    /** The instance reached {@code waiting} with goal stop: forget it. */
    void instanceStopped(Job job);

    /** Sends SIGCONT (expect stop). */
    void resume(int pid);
}
