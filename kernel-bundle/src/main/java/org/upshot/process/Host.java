package org.upshot.process;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The daemon's own process: who it is and what the kernel lets it do as an init.
 * Provided by the kernel bundle as a service.
 */
@ProviderType
public interface Host {

    /** The daemon's pid (1 when it is the init of a machine or a PID namespace). */
    int pid();

    /** The daemon's effective uid. */
    int euid();

    /**
     * Asks the kernel to re-parent orphaned descendants to this process
     * ({@code PR_SET_CHILD_SUBREAPER}).
     *
     * @throws PosixException if the kernel refused
     */
    void becomeChildSubreaper() throws PosixException;

    /**
     * Routes a signal sent to the daemon to {@code handler}, replacing the default
     * action. Supported: HUP, INT, TERM, PWR, WINCH, USR1. The handler runs on a
     * short-lived thread and must only post work to a queue.
     *
     * @throws IllegalArgumentException if the signal cannot be handled
     */
    void onSignal(int signal, Runnable handler);
}
