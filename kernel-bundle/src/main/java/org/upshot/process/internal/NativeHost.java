package org.upshot.process.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jnr.ffi.Pointer;
import org.osgi.service.component.annotations.Component;
import org.upshot.process.Host;
import org.upshot.process.PosixException;
import org.upshot.process.Signals;
import sun.misc.Signal;

/** {@link Host} on libc and {@code sun.misc.Signal}; a DS component, or built directly in tests. */
@Component(service = Host.class)
public final class NativeHost implements Host {

    /** The signals {@code sun.misc.Signal} lets us handle; USR2 is HotSpot's own. */
    private static final Map<Integer, String> HANDLED = Map.of(Signals.HUP, "HUP", Signals.INT, "INT",
            Signals.TERM, "TERM", 30, "PWR", 28, "WINCH", 10, "USR1");

    private static final Logger LOG = System.getLogger(NativeHost.class.getName());

    private final LibC libc = Native.libc();

    public NativeHost() {
        // Nothing to set up: every call goes straight to the kernel.
    }

    @Override
    public int pid() {
        return libc.getpid();
    }

    @Override
    public int euid() {
        return libc.geteuid();
    }

    @Override
    public void becomeChildSubreaper() throws PosixException {
        Native.check(libc.prctl(LibC.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl", "PR_SET_CHILD_SUBREAPER");
    }

    @Override
    public void onSignal(int signal, Runnable handler) {
        String name = HANDLED.get(signal);
        if (name == null) {
            throw new IllegalArgumentException("cannot handle signal " + Signals.name(signal)
                    + "; supported: HUP, INT, TERM, PWR, WINCH, USR1");
        }
        Signal.handle(new Signal(name), received -> {
            try {
                handler.run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "handler for SIG" + name + " failed", e);
            }
        });
    }

    @Override
    public List<Integer> children() {
        int self = pid();
        List<Integer> children = new ArrayList<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : proc) {
                if (parentOf(dir) == self) {
                    children.add(Integer.parseInt(dir.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        children.sort(null);
        return children;
    }

    @Override
    public int parentOf(int pid) {
        return parentOf(Path.of("/proc", Integer.toString(pid)));
    }

    /** The ppid field of {@code /proc/PID/stat}, or -1 if the process is gone. */
    static int parentOf(Path procDir) {
        String stat;
        try {
            stat = Files.readString(procDir.resolve("stat"));
        } catch (IOException vanished) {
            return -1;
        }
        // The command name may hold spaces and parentheses: fields resume after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[1]);
    }

    @Override
    public void reboot(int command) throws PosixException {
        Native.check(libc.reboot(command), "reboot", String.format("0x%08x", command));
    }

    /**
     * Marks every descriptor but standard input, output, error and {@code keep} close-on-exec
     * (the JDK opens most without it), clears the thread's signal mask (the JVM blocks some
     * on its threads, and a mask survives exec), then execs.
     */
    @Override
    public void replaceProgram(List<String> argv, List<String> env, Collection<Integer> keep) throws PosixException {
        Set<Integer> kept = Set.copyOf(keep);
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path entry : fds) {
                int fd = Integer.parseInt(entry.getFileName().toString());
                if (fd > 2) {
                    // a descriptor closed since the listing fails with EBADF: nothing to do
                    libc.fcntl(fd, LibC.F_SETFD, kept.contains(fd) ? 0 : LibC.FD_CLOEXEC);
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new PosixException("opendir", LibC.EINVAL, "/proc/self/fd: " + e.getMessage());
        }
        Pointer noSignals = Native.allocate(LibC.SIGSET_SIZE);
        libc.sigemptyset(noSignals);
        Native.checkReturned(libc.pthread_sigmask(LibC.SIG_SETMASK, noSignals, null), "pthread_sigmask", "");
        Native.check(libc.execve(argv.get(0), Native.stringArray(argv), Native.stringArray(env)), "execve", argv.get(0));
    }

    @Override
    public void closeDescriptor(int fd) throws PosixException {
        Native.check(libc.close(fd), "close", Integer.toString(fd));
    }
}
