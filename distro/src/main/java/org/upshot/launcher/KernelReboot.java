package org.upshot.launcher;

import java.util.Locale;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/**
 * The last step of an init's shutdown: {@code reboot(2)}. On a machine the kernel
 * resets, halts or powers it off. As the init of a PID namespace (or container), the
 * kernel ends the namespace instead: its PID 1 is killed and reported to its parent as
 * killed by SIGHUP for a reboot, by SIGINT for a halt or power-off, and the caller exits
 * with it; so the call returns only if the kernel refuses (no {@code CAP_SYS_BOOT}).
 */
final class KernelReboot {

    /** glibc's {@code reboot(int howto)}; it adds the magic numbers itself. */
    public interface LibC {
        void sync();

        @SaveError
        int reboot(int howto);
    }

    private static final int RB_AUTOBOOT = 0x01234567;
    private static final int RB_HALT_SYSTEM = 0xCDEF0123;
    private static final int RB_POWER_OFF = 0x4321FEDC;

    private KernelReboot() {}

    /**
     * Writes the file systems' caches out and asks the kernel for {@code action}.
     *
     * @param action {@code reboot}, {@code halt} or {@code poweroff}
     * @return why the kernel refused
     * @throws IllegalArgumentException for another action
     */
    static String request(String action) {
        int howto = switch (action.toLowerCase(Locale.ROOT)) {
            case "reboot" -> RB_AUTOBOOT;
            case "halt" -> RB_HALT_SYSTEM;
            case "poweroff" -> RB_POWER_OFF;
            default -> throw new IllegalArgumentException("no such shutdown action: " + action);
        };
        LibC libc = LibraryLoader.create(LibC.class).load("c");
        libc.sync();
        libc.reboot(howto);
        int errno = Runtime.getRuntime(libc).getLastError();
        return "reboot(2) failed: errno " + errno + " (" + jnr.constants.platform.Errno.valueOf(errno).description() + ")";
    }
}
