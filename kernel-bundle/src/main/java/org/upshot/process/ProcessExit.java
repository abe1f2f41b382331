package org.upshot.process;

/**
 * How a reaped process ended, or that a child stopped.
 *
 * <p>The reaper also reports children that stop (SIGSTOP, SIGTSTP...), so that
 * {@code expect stop} can be followed: such a report has {@link #stopped()} true,
 * the process still exists, and it will be reported again when it ends.
 *
 * @param pid the process id
 * @param status the raw {@code waitpid} status word
 */
public record ProcessExit(int pid, int status) {

    /** The process called exit(). */
    public boolean exited() {
        return (status & 0x7f) == 0;
    }

    /** The exit code; meaningful only if {@link #exited()}. */
    public int exitCode() {
        return (status >> 8) & 0xff;
    }

    /** The process was killed by a signal. */
    public boolean signalled() {
        return !exited() && !stopped();
    }

    /**
     * The process did not end but stopped; {@link #stopSignal()} says why.
     *
     * @since 1.1
     */
    public boolean stopped() {
        return (status & 0xff) == 0x7f;
    }

    /**
     * The signal that stopped the process; meaningful only if {@link #stopped()}.
     *
     * @since 1.1
     */
    public int stopSignal() {
        return (status >> 8) & 0xff;
    }

    /** The terminating signal; meaningful only if {@link #signalled()}. */
    public int signal() {
        return status & 0x7f;
    }

    /** Upstart's encoding for {@code normal exit}: the code, or {@code signal << 8}. */
    public int normalExitKey() {
        return exited() ? exitCode() : signal() << 8;
    }

    @Override
    public String toString() {
        if (stopped()) {
            return pid + " stopped by " + Signals.name(stopSignal());
        }
        return exited() ? pid + " exited " + exitCode()
                : pid + " killed by " + Signals.name(signal());
    }
}
