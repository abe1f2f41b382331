package org.upshot.process;

/**
 * How a reaped process ended.
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
        return !exited() && (status & 0xff) != 0x7f;
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
        return exited() ? pid + " exited " + exitCode()
                : pid + " killed by " + Signals.name(signal());
    }
}
