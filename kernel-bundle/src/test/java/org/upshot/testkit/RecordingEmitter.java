package org.upshot.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.upshot.event.Event;
import org.upshot.event.EventDescriptor;
import org.upshot.event.EventEmitter;
import org.upshot.event.EventResult;
import org.upshot.event.RunPriority;

/**
 * An emitter that records every event and the priority it asked for, for testing a
 * source on its own (with {@link TestSourceContext}); descriptors are released at once,
 * as if the event had finished. Thread-safe.
 */
public final class RecordingEmitter implements EventEmitter {

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Map<Event, RunPriority> priorities = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<EventResult> emit(Event event, List<EventDescriptor> descriptors, RunPriority priority) {
        descriptors.forEach(EventDescriptor::release);
        priorities.put(event, priority);
        events.add(event);
        return CompletableFuture.completedFuture(EventResult.OK);
    }

    /** The priority {@code event} (an equal one, the latest) was emitted with. */
    public RunPriority priority(Event event) {
        return priorities.get(event);
    }

    /** Every event so far, in order. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    /** Waits until an event matches {@code wanted}; fails after {@code timeout}. */
    public Event await(Predicate<Event> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Event event : events) {
                if (wanted.test(event)) {
                    return event;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching event within " + timeout.toMillis() + " ms among " + events);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5); // polling interval, not synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
