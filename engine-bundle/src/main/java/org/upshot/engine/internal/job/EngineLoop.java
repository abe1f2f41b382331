package org.upshot.engine.internal.job;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The engine thread: takes {@link EngineInput}s off one queue and hands each to the
 * handler, then runs the after-message step (draining the event queue). Other threads
 * only {@link #post}; delayed messages come from one timer thread ({@link #schedule}).
 * A message that throws is logged and dropped: the loop never stops on a bad job.
 */
final class EngineLoop {

    private static final Logger LOG = System.getLogger(EngineLoop.class.getName());

    private final BlockingQueue<EngineInput> inbox = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService timers;
    private final Thread thread;
    private final EngineInput.Handler handler;
    private final Runnable afterEachMessage;
    private final Runnable onExit;
    private volatile boolean running = true;

    /**
     * @param handler acts on each message
     * @param afterEachMessage runs after every message, on the engine thread
     * @param onExit runs on the engine thread as it ends
     */
    EngineLoop(EngineInput.Handler handler, Runnable afterEachMessage, Runnable onExit) {
        this.handler = handler;
        this.afterEachMessage = afterEachMessage;
        this.onExit = onExit;
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "upshot-timers");
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::run, "upshot-engine");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues a message; any thread. */
    void post(EngineInput input) {
        inbox.add(input);
    }

    /** Queues a message after a delay; any thread. */
    void schedule(EngineInput input, long delay, TimeUnit unit) {
        if (running) {
            timers.schedule(() -> post(input), delay, unit);
        }
    }

    /** Whether no message waits: one posted now is the next to run. Engine thread. */
    boolean idle() {
        return inbox.isEmpty();
    }

    boolean running() {
        return running;
    }

    /** Stops the loop and the timers; waits up to 2 s for the engine thread to end. */
    void close() {
        running = false;
        thread.interrupt();
        timers.shutdownNow();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (running) {
            EngineInput input;
            try {
                input = inbox.take();
            } catch (InterruptedException e) {
                break;
            }
            try {
                input.deliver(handler);
                afterEachMessage.run();
            } catch (RuntimeException | Error e) {
                // one bad job or message must never stop the engine
                LOG.log(Level.ERROR, "engine error handling " + input, e);
            }
        }
        onExit.run();
    }
}
