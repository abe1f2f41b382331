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
@Component(service = ProcessLauncher.class)
public final class PosixProcessLauncher implements ProcessLauncher {

    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

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
        boolean setup = SetupScript.needed(request);
        Identity identity = Identity.UNCHANGED;
        if (setup) {
            SetupScript.validate(request.attributes());
            identity = Identity.resolve(request.attributes().user(), request.attributes().group());
        }
        checkPrivileges(request, identity);
        boolean chroot = request.attributes().chroot().isPresent();
        if (!chroot && !Files.isDirectory(request.workingDirectory())) {
            throw new PosixException("chdir", LibC.ENOENT, request.workingDirectory().toString());
        }
        String program;
        List<String> argv;
        int[] report = null;
        if (setup) {
            report = new int[2];
            Native.check(libc.pipe2(report, LibC.O_CLOEXEC), "pipe2", "");
            program = SetupScript.SHELL;
            argv = new ArrayList<>(List.of(program, "-c",
                    SetupScript.build(request, identity, 3 + request.inheritedFds().size()), SetupScript.ARG0));
            argv.addAll(request.argv());
        } else {
            program = executable(request.argv().get(0), request.environment());
            argv = request.argv();
        }
        int pid;
        try (FileActions actions = FileActions.forRequest(request, report == null ? -1 : report[1], chroot)) {
            Pointer pidOut = Native.allocate(4);
            Pointer argvBlock = Native.stringArray(argv);
            Pointer envBlock = Native.stringArray(request.environment());
            reaper.childComing();
            int error = libc.posix_spawn(pidOut, program, actions.pointer(), SpawnAttributes.get(),
                    argvBlock, envBlock);
            // The blocks are freed when their Pointers are collected, which may happen as soon
            // as jnr has taken their addresses, while the child still reads them.
            Reference.reachabilityFence(argvBlock);
            Reference.reachabilityFence(envBlock);
            Native.checkReturned(error, "posix_spawn", describe(request));
            pid = pidOut.getInt(0);
        } catch (PosixException e) {
            if (report != null) {
                libc.close(report[0]);
            }
            throw e;
        } finally {
            if (report != null) {
                libc.close(report[1]);
            }
        }
        if (report != null) {
            SetupReport.readAndClose(report[0], request);
        }
        return pid;
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

    private void checkPrivileges(SpawnRequest request, Identity identity) throws PosixException {
        int euid = libc.geteuid();
        if (euid == 0) {
            return;
        }
        if (request.attributes().chroot().isPresent()) {
            throw new PosixException("chroot", LibC.EPERM, request.attributes().chroot().get().toString());
        }
        if (identity.changesUser() && identity.uid() != euid) {
            throw new PosixException("setuid", LibC.EPERM, request.attributes().user().orElse(""));
        }
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
