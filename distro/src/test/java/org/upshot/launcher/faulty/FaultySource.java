package org.upshot.launcher.faulty;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.upshot.event.Event;
import org.upshot.spi.source.EventSource;
import org.upshot.spi.source.SourceContext;

/** An event source that misbehaves in one way, as a buggy plugin would. */
public final class FaultySource implements EventSource {
    /** What {@link #THROW_IN_START} throws; the ITs look for it in the daemon's log. */
    public static final String MESSAGE = "deliberately failing source";

    /** How it misbehaves; named in its bundle's {@value FaultySourceActivator#FAULT} header. */
    public enum Fault {
        THROW_IN_START, HANG_IN_START, HANG_IN_STOP,
        /** Emits {@value #FLOOD} events on a thread of its own as fast as it can, until refused for good. */
        FLOOD
    }

    /** The event a {@link Fault#FLOOD} source emits. */
    public static final String FLOOD = "flood";

    private final Fault fault;
    /** Never counted down: a call waiting on it hangs for good. */
    private final CountDownLatch never = new CountDownLatch(1);

    FaultySource(Fault fault) {
        this.fault = fault;
    }

    @Override
    public void start(SourceContext context) throws InterruptedException {
        switch (fault) {
            case THROW_IN_START -> throw new IllegalStateException(MESSAGE);
            case HANG_IN_START -> never.await();
            case HANG_IN_STOP -> {
                // starts normally
            }
            case FLOOD -> {
                Thread flood = new Thread(() -> flood(context), "flooding-source");
                flood.setDaemon(true);
                flood.start();
            }
        }
    }

    /** Emits until the engine says the source is disabled or stopped; drops over its limit do not stop it. */
    private static void flood(SourceContext context) {
        while (true) {
            try {
                context.emitter().emit(Event.of(FLOOD)).toCompletableFuture().join();
            } catch (CompletionException refused) {
                String why = String.valueOf(refused.getCause().getMessage());
                if (why.endsWith("disabled") || why.endsWith("stopped")) {
                    return;
                }
            }
        }
    }

    @Override
    public void stop() {
        if (fault == Fault.HANG_IN_STOP) {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
