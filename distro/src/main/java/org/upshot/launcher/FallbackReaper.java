package org.upshot.launcher;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * PID 1's last resort when the framework cannot run: reap every orphan forever so that
 * the machine or namespace does not fill with zombies. Normally the kernel bundle's
 * reaper does this.
 */
final class FallbackReaper {
    private static final System.Logger LOG = System.getLogger("org.upshot.launcher");
    private static final int ECHILD = 10;

    private FallbackReaper() {
    }

    /** Never returns; SIGTERM still ends the process (see {@link Daemon}). */
    static void reapForever() {
        LOG.log(Level.ERROR, "running without the framework: only reaping orphans");
        POSIX posix = POSIXFactory.getNativePOSIX();
        int[] status = new int[1];
        while (true) {
            int pid = posix.waitpid(-1, status, 0);
            if (pid < 0 && posix.errno() == ECHILD) {
                // No children: wait for orphans to be re-parented to us.
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
        }
    }
}
