package org.upshot.process;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Spawns, signals and reaps processes. Provided by the kernel bundle as a service.
 *
 * <p>Every child starts in a new session and process group of its own (pid ==
 * pgid == sid). Thread-safe. The reaper reports each exit to every
 * {@link ExitListener} exactly once; an exit may be reported before {@link #spawn}
 * has returned to its caller, so callers that need both should handle them on one
 * queue, and either spawn from that queue's thread or hold the listener's reports back
 * while spawns are under way (the engine's spawn pool does).
 */
@ProviderType
public interface ProcessLauncher {

    /**
     * Starts a process.
     *
     * <p>Returns once the child has begun to exec its command, or (with attributes that
     * need set-up in the child) once that set-up has succeeded.
     *
     * @return its pid
     * @throws PosixException if it could not be started; {@link PosixException#call()}
     *     names the failing step ({@code posix_spawn}, {@code setuid}, {@code chroot}...).
     *     A child whose set-up failed did run: its exit (status 126) still reaches the
     *     listeners, under a pid this method never returned
     */
    int spawn(SpawnRequest request) throws PosixException;

    /**
     * Sends {@code signal} to a process.
     *
     * @return false if there is no such process (ESRCH)
     */
    boolean signal(int pid, int signal) throws PosixException;

    /**
     * Sends {@code signal} to every process in a process group.
     *
     * @return false if the group is empty (ESRCH)
     */
    boolean signalGroup(int pgid, int signal) throws PosixException;

    /** Registers a listener for reaped processes; from now on it sees every exit. */
    void addExitListener(ExitListener listener);

    /** Unregisters a listener; it sees no exit after this returns. */
    void removeExitListener(ExitListener listener);
}
