package org.upshot.process;

import org.osgi.annotation.versioning.ConsumerType;

/** Told of every process the reaper collects. */
@ConsumerType
@FunctionalInterface
public interface ExitListener {

    /**
     * Called on the reaper thread for each reaped process, ours or an orphan's, and for
     * each child that stops ({@link ProcessExit#stopped()}; such a process is reported
     * again when it ends). Must not block: post the exit to your own queue and return.
     */
    void exited(ProcessExit exit);
}
