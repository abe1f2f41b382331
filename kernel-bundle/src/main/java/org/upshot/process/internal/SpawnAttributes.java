package org.upshot.process.internal;

import jnr.ffi.Pointer;

/**
 * The one {@code posix_spawnattr_t} every spawn uses: a new session (which is also a
 * new process group), an empty signal mask (the JVM blocks SIGQUIT and others) and
 * every signal from 1 to 64 back to its default action. posix_spawn only reads it, so it is
 * shared by all threads and never destroyed.
 */
final class SpawnAttributes {

    private static final Pointer ATTRIBUTES = create();

    private SpawnAttributes() {}

    static Pointer get() {
        return ATTRIBUTES;
    }

    private static Pointer create() {
        LibC libc = Native.libc();
        Pointer attributes = Native.allocate(LibC.SPAWNATTR_SIZE);
        Pointer empty = Native.allocate(LibC.SIGSET_SIZE);
        Pointer all = Native.allocate(LibC.SIGSET_SIZE);
        require(libc.posix_spawnattr_init(attributes), "posix_spawnattr_init");
        require(libc.sigemptyset(empty), "sigemptyset");
        // Every bit by hand: sigfillset leaves out glibc's two internal signals (32, 33),
        // which its posix_spawn then sets to SIG_IGN in the child, and an ignored signal
        // survives exec (SigIgn 0x180000000 in /proc/PID/status).
        all.putLong(0, -1L);
        require(libc.posix_spawnattr_setsigmask(attributes, empty), "posix_spawnattr_setsigmask");
        require(libc.posix_spawnattr_setsigdefault(attributes, all), "posix_spawnattr_setsigdefault");
        require(libc.posix_spawnattr_setflags(attributes, (short) (LibC.POSIX_SPAWN_SETSID
                | LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF)), "posix_spawnattr_setflags");
        return attributes;
    }

    private static void require(int result, String call) {
        if (result != 0) {
            throw new IllegalStateException(call + " failed with " + result + ": cannot happen with valid memory");
        }
    }
}
