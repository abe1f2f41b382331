package org.upshot.source.files;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.upshot.event.Event;
import org.upshot.event.EventDescriptor;
import org.upshot.event.EventEmitter;
import org.upshot.event.EventResult;
import org.upshot.event.RunPriority;

/** The SPI sink: records every event; can be held shut to stall the source's thread. */
final class CollectingEmitter implements EventEmitter {

    final List<Event> events = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch gate;
    final CountDownLatch entered = new CountDownLatch(1);

    @Override
    public CompletionStage<EventResult> emit(Event event, List<EventDescriptor> descriptors, RunPriority priority) {
        descriptors.forEach(EventDescriptor::release);
        events.add(event);
        CountDownLatch current = gate;
        if (current != null) {
            entered.countDown();
            try {
                current.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return CompletableFuture.completedFuture(EventResult.OK);
    }

    /** From now on, emit blocks until {@link #open()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void open() {
        CountDownLatch current = gate;
        gate = null;
        if (current != null) {
            current.countDown();
        }
    }

    /** Events whose MATCH is {@code path}. */
    List<Event> matching(Object path) {
        return events.stream().filter(e -> e.get("MATCH").orElse("").equals(path.toString())).toList();
    }
}
