package org.upshot.process.internal;

import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jnr.ffi.Pointer;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.upshot.process.ExitListener;
import org.upshot.process.PosixException;
import org.upshot.process.ProcessLauncher;
import org.upshot.process.SpawnRequest;
import org.upshot.process.Stdio;

/**
 * {@link ProcessLauncher} on {@code posix_spawn}. A DS component in the framework;
 * tests and tools outside OSGi construct it directly. All instances share the one
 * reaper thread of the JVM; {@link #close()} only drops this instance's listeners.
 */
// Immediate: as PID 1 the reaper must run from bundle start, before any job is spawned.
@Component(service = ProcessLauncher.class, immediate = true)
public final class PosixProcessLauncher implements ProcessLauncher {

    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static final int SPAWN_ATTEMPTS = 5;

    private final LibC libc = Native.libc();
    private final Reaper reaper = Reaper.shared();
    private final Set<ExitListener> listeners = ConcurrentHashMap.newKeySet();

    public PosixProcessLauncher() {
        // Touch the shared spawn attributes now so a broken libc fails at activation.
        SpawnAttributes.get();
    }

    @Override
    public int spawn(SpawnRequest request) throws PosixException {
        rejectNul(request);
        boolean chroot = request.attributes().chroot().isPresent();
        if (!chroot && !Files.isDirectory(request.workingDirectory())) {
            throw new PosixException("chdir", LibC.ENOENT, request.workingDirectory().toString());
        }
        if (!SetupScript.needed(request)) {
            return launch(request, executable(request.argv().get(0), request.environment()), request.argv(), -1);
        }
        SetupScript.validate(request.attributes());
        Identity identity = checkPrivileges(request,
                Identity.resolve(request.attributes().user(), request.attributes().group()));
        int reportFd = 3 + request.inheritedFds().size();
        List<String> argv = new ArrayList<>(List.of(SetupScript.SHELL, "-c",
                SetupScript.build(request, identity, reportFd), SetupScript.ARG0));
        argv.addAll(request.argv());
        int[] report = new int[2];
        Native.check(libc.pipe2(report, LibC.O_CLOEXEC), "pipe2", "set-up report");
        int pid;
        try {
            try {
                pid = launch(request, SetupScript.SHELL, argv, report[1]);
            } finally {
                libc.close(report[1]);
            }
        } catch (PosixException | RuntimeException e) {
            libc.close(report[0]);
            throw e;
        }
        SetupReport.readAndClose(report[0], request);
        return pid;
    }

    /** posix_spawn with the request's descriptors and environment; {@code reportFd} is -1 without set-up. */
    private int launch(SpawnRequest request, String program, List<String> argv, int reportFd)
            throws PosixException {
        boolean chroot = request.attributes().chroot().isPresent();
        try (FileActions actions = FileActions.forRequest(request, reportFd, chroot)) {
            Pointer pidOut = Native.allocate(4);
            Pointer argvBlock = Native.stringArray(argv);
            Pointer envBlock = Native.stringArray(request.environment());
            int error;
            int attempts = 0;
            do {
                // EAGAIN: the clone hit a transient limit (threads, memory); a few retries, then report it.
                error = libc.posix_spawn(pidOut, program, actions.pointer(), SpawnAttributes.get(),
                        argvBlock, envBlock);
            } while ((error == LibC.EAGAIN || error == LibC.EINTR) && ++attempts < SPAWN_ATTEMPTS);
            // The blocks are freed when their Pointers are collected, which may happen as soon
            // as jnr has taken their addresses, while the child still reads them.
            Reference.reachabilityFence(argvBlock);
            Reference.reachabilityFence(envBlock);
            Native.checkReturned(error, "posix_spawn", describe(request));
            reaper.childSpawned();
            return pidOut.getInt(0);
        }
    }

    @Override
    public boolean signal(int pid, int signal) throws PosixException {
        if (pid <= 0) {
            throw new IllegalArgumentException("not a single process: " + pid);
        }
        return kill(pid, signal);
    }

    @Override
    public boolean signalGroup(int pgid, int signal) throws PosixException {
        if (pgid <= 1) {
            throw new IllegalArgumentException("not a process group: " + pgid);
        }
        return kill(-pgid, signal);
    }

    private boolean kill(int target, int signal) throws PosixException {
        while (libc.kill(target, signal) == -1) {
            int errno = Native.errno();
            if (errno == LibC.ESRCH) {
                return false;
            }
            if (errno != LibC.EINTR) {
                throw new PosixException("kill", errno, target + " " + signal);
            }
        }
        return true;
    }

    @Override
    public void addExitListener(ExitListener listener) {
        if (listeners.add(listener)) {
            reaper.addListener(listener);
        }
    }

    @Override
    public void removeExitListener(ExitListener listener) {
        if (listeners.remove(listener)) {
            reaper.removeListener(listener);
        }
    }

    /** Drops the listeners registered through this instance; the reaper keeps running. */
    @Deactivate
    public void close() {
        for (ExitListener listener : listeners) {
            removeExitListener(listener);
        }
    }

    /**
     * Looks {@code command} up in the child's {@code PATH} (glibc's {@code posix_spawnp}
     * would use the daemon's), so that a missing command fails here with ENOENT.
     */
    static String executable(String command, List<String> environment) throws PosixException {
        if (command.indexOf('/') >= 0) {
            return command;
        }
        String path = environment.stream().filter(e -> e.startsWith("PATH=")).map(e -> e.substring(5))
                .findFirst().orElse(DEFAULT_PATH);
        int error = LibC.ENOENT;
        for (String dir : path.split(":", -1)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
                error = LibC.EACCES;
            }
        }
        throw new PosixException("posix_spawn", error, command);
    }

    /**
     * Without root only "switch" to oneself is possible: that is no switch at all, and
     * anything else is refused here with EPERM rather than by setpriv in the child.
     */
    private Identity checkPrivileges(SpawnRequest request, Identity identity) throws PosixException {
        int euid = libc.geteuid();
        if (euid == 0) {
            return identity;
        }
        if (request.attributes().chroot().isPresent()) {
            throw new PosixException("chroot", LibC.EPERM, request.attributes().chroot().get().toString());
        }
        if (identity.changesUser() && identity.uid() != euid) {
            throw new PosixException("setuid", LibC.EPERM, request.attributes().user().orElse(""));
        }
        if (request.attributes().group().isPresent()) {
            throw new PosixException("setgid", LibC.EPERM, request.attributes().group().get());
        }
        return Identity.UNCHANGED;
    }

    private static void rejectNul(SpawnRequest request) throws PosixException {
        for (List<String> strings : List.of(request.argv(), request.environment())) {
            for (String s : strings) {
                if (s.indexOf('\0') >= 0) {
                    throw new PosixException("posix_spawn", LibC.EINVAL, "NUL in " + s.replace('\0', '@'));
                }
            }
        }
    }

    static String describe(SpawnRequest request) {
        String command = request.argv().get(0);
        return request.stdio() instanceof Stdio.Log log
                ? command + " (log " + log.file() + ")" : command;
    }
}
