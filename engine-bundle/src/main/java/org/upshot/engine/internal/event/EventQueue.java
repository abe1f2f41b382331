package org.upshot.engine.internal.event;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.upshot.event.Event;
import org.upshot.event.EventDescriptor;
import org.upshot.event.RunPriority;
import org.upshot.event.EventResult;

/**
 * The engine's event queue, drained by {@link #poll} until a full pass makes no
 * progress. Engine thread only; other threads reach it through engine messages.
 *
 * <p>Each event goes {@code PENDING} (queued) → {@code HANDLING} (matched: the
 * handler has blocked it once for every job it started or stopped) →
 * {@code FINISHED} once nothing blocks it any more. A finished event that some job
 * failed is followed by {@code NAME/failed} with the same environment, never by
 * {@code NAME/failed/failed}. When it finishes, the descriptors it carried are released.
 */
public final class EventQueue {

    /** What the engine does with a pending event: match it against every job. */
    @FunctionalInterface
    public interface Handler {
        /** Matches a pending event against every job; may emit further events. */
        void handle(QueuedEvent event);
    }

    private static final Logger LOG = System.getLogger(EventQueue.class.getName());
    private static final String FAILED_SUFFIX = "/failed";

    private final Set<QueuedEvent> events = new LinkedHashSet<>();
    private final Handler handler;
    private final List<Consumer<Event>> subscribers = new ArrayList<>();
    private final Trace trace;

    /** What the queue tells of each event's progress (the engine's journal); engine thread. */
    public interface Trace {

        Trace NONE = event -> { };

        /** {@code event} reached its {@link QueuedEvent#progress()} (when finished, {@link QueuedEvent#failed()} holds). */
        void progressed(QueuedEvent event);
    }

    public EventQueue(Handler handler) {
        this(handler, Trace.NONE);
    }

    public EventQueue(Handler handler, Trace trace) {
        this.handler = handler;
        this.trace = trace;
    }

    /** Queues an event; it is handled by the next {@link #poll}. */
    public QueuedEvent emit(Event event) {
        return emit(event, List.of(), RunPriority.NORMAL);
    }

    /** Queues an event that carries descriptors, released when it finishes, and the priority of its runs. */
    public QueuedEvent emit(Event event, List<EventDescriptor> descriptors, RunPriority priority) {
        QueuedEvent queued = new QueuedEvent(event, descriptors, priority);
        events.add(queued);
        trace.progressed(queued);
        LOG.log(Level.DEBUG, () -> "Pending " + event + " event");
        return queued;
    }

    /**
     * Puts back an event the daemon before a re-exec had handled and that conditions still
     * held: it is {@code HANDLING}, blocked only by the holds the caller restores next
     * ({@link org.upshot.engine.internal.match.Condition#restore}), and finishes once they let go.
     */
    public QueuedEvent restoreHeld(Event event, boolean failed) {
        QueuedEvent queued = new QueuedEvent(event, List.of(), RunPriority.NORMAL);
        queued.progress(QueuedEvent.Progress.HANDLING);
        if (failed) {
            queued.block();
            queued.release(true);
        }
        events.add(queued);
        return queued;
    }

    /** The events on the queue, oldest first; engine thread, not to be changed. */
    public Collection<QueuedEvent> events() {
        return Collections.unmodifiableCollection(events);
    }

    /** Adds a subscriber told of every event as it is handled; returns its cancel action. */
    public Runnable subscribe(Consumer<Event> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }

    public int size() {
        return events.size();
    }

    /** Handles pending events and finishes unblocked ones until nothing moves. */
    public void poll() {
        boolean progress = true;
        while (progress) {
            progress = false;
            // handling and finishing append events; walk a snapshot, newcomers go next pass
            for (QueuedEvent event : new ArrayList<>(events)) {
                if (event.progress() == QueuedEvent.Progress.PENDING) {
                    event.progress(QueuedEvent.Progress.HANDLING);
                    LOG.log(Level.DEBUG, () -> "Handling " + event.event() + " event");
                    trace.progressed(event);
                    notifySubscribers(event.event());
                    handler.handle(event);
                    progress = true;
                }
                if (event.progress() == QueuedEvent.Progress.HANDLING && event.blockers() == 0) {
                    events.remove(event);
                    finish(event);
                    progress = true;
                }
            }
        }
    }

    private void finish(QueuedEvent event) {
        event.progress(QueuedEvent.Progress.FINISHED);
        trace.progressed(event);
        LOG.log(Level.DEBUG, () -> "Finished " + event.name() + " event" + (event.failed() ? " (failed)" : ""));
        if (event.failed() && !event.name().endsWith(FAILED_SUFFIX)) {
            emit(new Event(event.name() + FAILED_SUFFIX, event.event().env()));
        }
        // jobs waiting on it (their starting/stopping event) move on
        for (Runnable action : event.finishActions()) {
            action.run();
        }
        release(event);
        event.completion().complete(event.failed() ? EventResult.FAILED : EventResult.OK);
    }

    /**
     * The engine is stopping: releases the descriptors of every event still queued and
     * fails their completions; nothing is handled afterwards.
     */
    public void abandon() {
        for (QueuedEvent event : List.copyOf(events)) {
            events.remove(event);
            release(event);
            event.completion().completeExceptionally(new IllegalStateException("the engine stopped"));
        }
    }

    /** Gives the event's descriptors back to their emitter; plugin code, so guarded. */
    private static void release(QueuedEvent event) {
        for (EventDescriptor descriptor : event.descriptors()) {
            try {
                descriptor.release();
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "releasing a descriptor of " + event + " failed", e);
            }
        }
    }

    private void notifySubscribers(Event event) {
        for (Consumer<Event> subscriber : List.copyOf(subscribers)) {
            try {
                subscriber.accept(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event subscriber failed on " + event, e);
            }
        }
    }
}
