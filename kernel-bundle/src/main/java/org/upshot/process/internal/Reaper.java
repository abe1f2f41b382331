package org.upshot.process.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import jnr.ffi.Pointer;
import org.upshot.process.ExitListener;
import org.upshot.process.ProcessExit;

/**
 * The one thread in the JVM that calls {@code waitpid}. Two reapers in one process
 * would steal each other's statuses, so every launcher shares {@link #shared()}.
 */
final class Reaper implements Runnable {

    private static final Logger LOG = System.getLogger(Reaper.class.getName());

    /**
     * How long the thread parks with no children before it looks again: orphans can be
     * re-parented to us without a spawn (a process entering our PID namespace from
     * outside), so the park cannot be unbounded.
     */
    private static final long IDLE_RECHECK_MILLIS = 1000;

    private static final Reaper SHARED = new Reaper();

    private final CopyOnWriteArrayList<ExitListener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition childAdded = lock.newCondition();
    private boolean spawnedSinceIdle;
    private Thread thread;

    private Reaper() {}

    /** The process-wide reaper, its thread started on first use. */
    static Reaper shared() {
        SHARED.start();
        return SHARED;
    }

    private void start() {
        lock.lock();
        try {
            if (thread == null) {
                thread = new Thread(this, "upshot-reaper");
                thread.setDaemon(true);
                thread.start();
            }
        } finally {
            lock.unlock();
        }
    }

    void addListener(ExitListener listener) {
        listeners.add(listener);
    }

    void removeListener(ExitListener listener) {
        listeners.remove(listener);
    }

    /**
     * Called after every successful spawn so that an idle reaper goes back to
     * {@code waitpid}. After, not before: a reaper woken before the child exists would
     * find no child, consume the wake-up and park again with the child unreaped.
     */
    void childSpawned() {
        lock.lock();
        try {
            spawnedSinceIdle = true;
            childAdded.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void run() {
        LibC libc = Native.libc();
        Pointer status = Native.allocate(4);
        while (true) {
            int pid = libc.waitpid(-1, status, LibC.WUNTRACED);
            if (pid > 0) {
                report(new ProcessExit(pid, status.getInt(0)));
                continue;
            }
            int errno = Native.errno();
            if (errno == LibC.ECHILD) {
                parkUntilSpawn();
            } else if (errno != LibC.EINTR) {
                LOG.log(Level.ERROR, "waitpid failed with errno {0}; retrying", errno);
                parkUntilSpawn();
            }
        }
    }

    private void parkUntilSpawn() {
        lock.lock();
        try {
            if (!spawnedSinceIdle) {
                childAdded.await(IDLE_RECHECK_MILLIS, TimeUnit.MILLISECONDS);
            }
            spawnedSinceIdle = false;
        } catch (InterruptedException ignored) {
            // The reaper lives as long as the JVM; nothing interrupts it on purpose.
        } finally {
            lock.unlock();
        }
    }

    private void report(ProcessExit exit) {
        LOG.log(Level.DEBUG, "reaped {0}", exit);
        for (ExitListener listener : listeners) {
            try {
                listener.exited(exit);
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "exit listener " + listener + " failed on " + exit, e);
            }
        }
    }
}
