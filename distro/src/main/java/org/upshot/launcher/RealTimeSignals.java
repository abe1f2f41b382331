package org.upshot.launcher;

import java.lang.System.Logger.Level;
import jnr.ffi.LibraryLoader;
import jnr.ffi.types.intptr_t;

/**
 * The real-time signals, whose default action ends a process: set to SIG_IGN, because
 * {@code sun.misc.Signal} knows them by no name. HotSpot uses none of them (its
 * suspend/resume signal is USR2), and jobs never inherit the disposition: their spawn
 * resets every signal to its default.
 */
final class RealTimeSignals {
    private static final System.Logger LOG = System.getLogger("org.upshot.launcher");
    private static final long SIG_IGN = 1;
    private static final long SIG_ERR = -1;

    /** The libc calls this needs; a handler is a function pointer, passed as an integer. */
    public interface SignalCalls {
        @intptr_t long signal(int signal, @intptr_t long handler);

        int __libc_current_sigrtmin();

        int __libc_current_sigrtmax();
    }

    private RealTimeSignals() {
    }

    static void ignore() {
        try {
            SignalCalls libc = LibraryLoader.create(SignalCalls.class).load("c");
            int first = libc.__libc_current_sigrtmin();
            int last = libc.__libc_current_sigrtmax();
            for (int signal = first; signal <= last; signal++) {
                if (libc.signal(signal, SIG_IGN) == SIG_ERR) {
                    LOG.log(Level.WARNING, "cannot ignore real-time signal {0}", Integer.toString(signal));
                }
            }
        } catch (LinkageError | RuntimeException e) {
            LOG.log(Level.WARNING, "real-time signals keep their default action: " + e);
        }
    }
}
