package org.upshot.process.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Pointer;
import org.upshot.process.PosixException;
import org.upshot.process.SpawnRequest;
import org.upshot.process.Stdio;

/**
 * The descriptor plan of one spawn as {@code posix_spawn_file_actions_t}: stdio per
 * {@link Stdio}, the inherited descriptors at 3, 4, ..., the set-up report descriptor
 * (if any) right after them, every other descriptor closed, and the working directory.
 *
 * <p>Inherited descriptors are first copied above every number in play and only then
 * onto 3, 4, ..., so that a source that is also a target (pass 4 then 3) is not
 * overwritten before it is copied.
 */
final class FileActions implements AutoCloseable {

    /** Log files are readable by their owner's group, not by everyone. */
    private static final int LOG_MODE = 0640;

    private final LibC libc = Native.libc();
    private final Pointer actions = Native.allocate(LibC.FILE_ACTIONS_SIZE);

    private FileActions() {
        int error = libc.posix_spawn_file_actions_init(actions);
        if (error != 0) {
            throw new IllegalStateException("posix_spawn_file_actions_init failed with " + error);
        }
    }

    /**
     * @param reportFd the daemon's write end of the set-up report pipe, or -1
     * @param chroot true when the working directory is entered after chroot by the preamble
     */
    static FileActions forRequest(SpawnRequest request, int reportFd, boolean chroot) throws PosixException {
        FileActions plan = new FileActions();
        try {
            plan.build(request, reportFd, chroot);
            return plan;
        } catch (PosixException e) {
            plan.close();
            throw e;
        }
    }

    Pointer pointer() {
        return actions;
    }

    private void build(SpawnRequest request, int reportFd, boolean chroot) throws PosixException {
        List<Integer> sources = new ArrayList<>(request.inheritedFds());
        if (reportFd >= 0) {
            sources.add(reportFd);
        }
        int highest = 2 + sources.size();
        for (int fd : sources) {
            highest = Math.max(highest, fd);
        }
        int parking = highest + 1;
        for (int i = 0; i < sources.size(); i++) {
            check(libc.posix_spawn_file_actions_adddup2(actions, sources.get(i), parking + i), "adddup2");
        }
        stdio(request.stdio(), sources, parking);
        for (int i = 0; i < sources.size(); i++) {
            check(libc.posix_spawn_file_actions_adddup2(actions, parking + i, 3 + i), "adddup2");
        }
        check(libc.posix_spawn_file_actions_addclosefrom_np(actions, 3 + sources.size()), "addclosefrom_np");
        if (!chroot) {
            check(libc.posix_spawn_file_actions_addchdir_np(actions, request.workingDirectory().toString()),
                    "addchdir_np");
        }
    }

    private void stdio(Stdio stdio, List<Integer> sources, int parking) throws PosixException {
        if (stdio instanceof Stdio.Connection connection) {
            stdio(connection.errors(), sources, parking);
            // an inherited descriptor was parked above 2 first: its original may be gone
            int index = sources.indexOf(connection.fd());
            int from = index >= 0 ? parking + index : connection.fd();
            dup(from, 0);
            dup(from, 1);
        } else if (stdio instanceof Stdio.Null) {
            open(0, Path.of("/dev/null"), LibC.O_RDWR);
            dup(0, 1);
            dup(0, 2);
        } else if (stdio instanceof Stdio.Log log) {
            open(0, Path.of("/dev/null"), LibC.O_RDONLY);
            open(1, log.file(), LibC.O_WRONLY | LibC.O_CREAT | LibC.O_APPEND | LibC.O_NOCTTY);
            dup(1, 2);
        } else if (stdio instanceof Stdio.Console console) {
            // A session leader opening a terminal without O_NOCTTY makes it its controlling tty.
            open(0, Path.of("/dev/console"), LibC.O_RDWR | (console.owner() ? 0 : LibC.O_NOCTTY));
            dup(0, 1);
            dup(0, 2);
        }
        // Stdio.Inherit keeps the daemon's 0, 1 and 2.
    }

    private void open(int fd, Path path, int flags) throws PosixException {
        check(libc.posix_spawn_file_actions_addopen(actions, fd, path.toString(), flags, LOG_MODE), "addopen");
    }

    private void dup(int fd, int target) throws PosixException {
        check(libc.posix_spawn_file_actions_adddup2(actions, fd, target), "adddup2");
    }

    private static void check(int error, String call) throws PosixException {
        Native.checkReturned(error, "posix_spawn_file_actions_" + call, "");
    }

    @Override
    public void close() {
        libc.posix_spawn_file_actions_destroy(actions);
    }
}
