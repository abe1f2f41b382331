package org.upshot.engine.internal.job;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.upshot.process.PosixException;
import org.upshot.process.ProcessLauncher;
import org.upshot.process.SpawnRequest;

/**
 * Spawns on a few threads of its own, so that the engine thread never waits in
 * {@code posix_spawn} (about a millisecond each, spent mostly in the kernel: two run
 * side by side on two cores). The engine builds each request on its own thread; what
 * came of it comes back through an {@link Outcome}, which posts it to the engine.
 *
 * <p>One order is kept: the engine hears of a process's spawn before it hears of that
 * process's exit or stop. Without it an exit could reach the engine while the pid is
 * still unknown there and be taken for an orphan's. Each spawn holds a read lock from
 * before {@code posix_spawn} until its outcome is posted; the reaper's reports go
 * through {@link #report}, which takes the write lock. A process reaped after its spawn
 * began (any of ours is) is therefore reported after that spawn's outcome; the reaper
 * waits at most for the spawns under way, and spawns do not wait for each other.
 */
final class SpawnPool implements AutoCloseable {

    private static final Logger LOG = System.getLogger(SpawnPool.class.getName());

    /** One a core, and two at least: a spawn also waits while its child reaches exec. */
    private static final int THREADS = Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors()));
    /** Idle threads go, so an idle daemon holds no stacks for them. */
    private static final long IDLE_SECONDS = 30;

    /** What came of one spawn; called on a pool thread, with the engine not yet told of the process's end. */
    interface Outcome {
        void spawned(int pid);

        /** {@code error}: a {@link PosixException}, or what else the launcher threw. */
        void failed(Exception error);
    }

    private final ProcessLauncher launcher;
    private final ThreadPoolExecutor executor;
    private final ReadWriteLock order = new ReentrantReadWriteLock();

    SpawnPool(ProcessLauncher launcher) {
        this.launcher = launcher;
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "upshot-spawn-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /** Spawns {@code request} on a pool thread and hands what came of it to {@code outcome}; any thread. */
    void spawn(SpawnRequest request, Outcome outcome) {
        executor.execute(() -> {
            order.readLock().lock();
            try {
                int pid;
                try {
                    pid = launcher.spawn(request);
                } catch (PosixException | RuntimeException e) {
                    outcome.failed(e);
                    return;
                }
                outcome.spawned(pid);
            } finally {
                order.readLock().unlock();
            }
        });
    }

    /** Passes on a report of the reaper's once every spawn under way has told its outcome; reaper thread. */
    void report(Runnable post) {
        order.writeLock().lock();
        try {
            post.run();
        } finally {
            order.writeLock().unlock();
        }
    }

    /** Drops spawns not yet begun and waits briefly for those under way. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "spawns still under way as the engine stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
