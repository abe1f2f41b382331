package org.upshot.process;

import java.util.Collection;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The daemon's own process: who it is and what the kernel lets it do as an init.
 * Provided by the kernel bundle as a service.
 */
@ProviderType
public interface Host {

    /** {@link #reboot(int)}: restart the machine ({@code RB_AUTOBOOT}). */
    int RB_AUTOBOOT = 0x01234567;
    /** {@link #reboot(int)}: stop the machine without powering off ({@code RB_HALT_SYSTEM}). */
    int RB_HALT_SYSTEM = 0xcdef0123;
    /** {@link #reboot(int)}: power the machine off ({@code RB_POWER_OFF}). */
    int RB_POWER_OFF = 0x4321fedc;

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

    /**
     * The pids whose parent is this process now, read from {@code /proc}: the children
     * it spawned that still run and the orphans re-parented to it. Used to find a
     * double-forked daemon's pid where no cgroup can be written (session mode).
     * A snapshot: processes may come and go while it is taken.
     *
     * @since 1.1
     */
    List<Integer> children();

    /**
     * The parent of process {@code pid}, read from {@code /proc/PID/stat}; -1 if the
     * process is gone. A snapshot, like {@link #children()}.
     *
     * @since 1.2
     */
    int parentOf(int pid);

    /**
     * Calls {@code reboot(2)} with one of {@link #RB_AUTOBOOT}, {@link #RB_HALT_SYSTEM},
     * {@link #RB_POWER_OFF}. Run {@code sync} first: this does not. On success for a
     * machine's init it does not return; as PID 1 of a PID namespace the kernel ends the
     * namespace instead (its init is killed with SIGHUP for a restart, SIGINT for halt
     * and power-off).
     *
     * @throws PosixException {@code reboot} with EPERM without CAP_SYS_BOOT, EINVAL for
     *     an unknown command
     * @since 1.1
     */
    void reboot(int command) throws PosixException;

    /**
     * Replaces the daemon's program in place ({@code execve}): the pid, the children and
     * the descriptors in {@code keep} (with standard input, output and error) stay; every
     * other descriptor is closed by the exec, and the signal mask is cleared. Does not
     * return when it works.
     *
     * @param argv the new program's path, then its arguments
     * @param env the new program's environment, {@code KEY=VALUE} each
     * @param keep the descriptors the new program inherits
     * @throws PosixException if the exec failed; the daemon goes on as it was
     * @since 1.4
     */
    void replaceProgram(List<String> argv, List<String> env, Collection<Integer> keep) throws PosixException;

    /**
     * Closes descriptor {@code fd} of the daemon: one a re-exec handed over that no one
     * took back.
     *
     * @throws PosixException {@code close} failed (EBADF: not open)
     * @since 1.4
     */
    void closeDescriptor(int fd) throws PosixException;
}
