package org.upshot.process.internal;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;

/**
 * The libc calls the process layer makes, bound directly with jnr-ffi. jnr-posix is
 * not used for spawning: its {@code posix_spawnp} loses glibc's error code and it has
 * no {@code closefrom}, {@code chdir} file actions nor signal-set attributes.
 *
 * <p>Opaque glibc structures are passed as blocks of native memory at least as large as
 * the C type ({@link #FILE_ACTIONS_SIZE}, {@link #SPAWNATTR_SIZE}, {@link #SIGSET_SIZE}).
 */
public interface LibC {

    /** {@code sizeof(posix_spawn_file_actions_t)} is 80 on 64-bit glibc; rounded up. */
    int FILE_ACTIONS_SIZE = 128;
    /** {@code sizeof(posix_spawnattr_t)} is 336 on 64-bit glibc; rounded up. */
    int SPAWNATTR_SIZE = 512;
    /** {@code sizeof(sigset_t)} in glibc. */
    int SIGSET_SIZE = 128;

    short POSIX_SPAWN_SETSIGDEF = 0x04;
    short POSIX_SPAWN_SETSIGMASK = 0x08;
    short POSIX_SPAWN_SETSID = 0x80;

    int O_RDONLY = 0;
    int O_WRONLY = 1;
    int O_RDWR = 2;
    int O_CREAT = 0100;
    int O_NOCTTY = 0400;
    int O_APPEND = 02000;
    int O_CLOEXEC = 02000000;

    int WUNTRACED = 2;

    int PR_SET_CHILD_SUBREAPER = 36;

    int EPERM = 1;
    int ENOENT = 2;
    int ESRCH = 3;
    int EINTR = 4;
    int EAGAIN = 11;
    int EACCES = 13;
    int ECHILD = 10;
    int EINVAL = 22;

    @SaveError int posix_spawn(@Out Pointer pid, String path, @In Pointer fileActions,
            @In Pointer attributes, @In Pointer argv, @In Pointer envp);

    int posix_spawn_file_actions_init(Pointer actions);

    int posix_spawn_file_actions_destroy(Pointer actions);

    int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);

    int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

    /** glibc 2.34+: closes every descriptor from {@code from} up. */
    int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

    /** glibc 2.29+. */
    int posix_spawn_file_actions_addchdir_np(Pointer actions, String path);

    int posix_spawnattr_init(Pointer attributes);

    int posix_spawnattr_setflags(Pointer attributes, short flags);

    int posix_spawnattr_setsigmask(Pointer attributes, @In Pointer mask);

    int posix_spawnattr_setsigdefault(Pointer attributes, @In Pointer signals);

    int sigemptyset(Pointer set);

    @SaveError int waitpid(int pid, @Out Pointer status, int options);

    @SaveError int kill(int pid, int signal);

    @SaveError int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    int getpid();

    int geteuid();

    @SaveError int reboot(int command);

    @SaveError int open(String path, int flags, int mode);

    @SaveError int pipe2(@Out int[] fds, int flags);

    @SaveError long read(int fd, @Out byte[] buffer, long count);

    @SaveError int close(int fd);

    int F_GETFD = 1;
    int F_SETFD = 2;
    int FD_CLOEXEC = 1;
    int SIG_SETMASK = 2;

    @SaveError int fcntl(int fd, int command, int argument);

    int pthread_sigmask(int how, @In Pointer set, Pointer old);

    @SaveError int execve(String path, @In Pointer argv, @In Pointer envp);

    String strerror(int errno);

    @SaveError Pointer getpwnam(String name);

    @SaveError Pointer getpwuid(int uid);

    @SaveError Pointer getgrnam(String name);

    int getgrouplist(String user, int group, @Out int[] groups, IntByReference count);
}
