package org.upshot.process.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
}
