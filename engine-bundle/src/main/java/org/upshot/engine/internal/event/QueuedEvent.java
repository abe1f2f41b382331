package org.upshot.engine.internal.event;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.upshot.engine.internal.match.Condition;
import org.upshot.event.Event;
import org.upshot.event.EventDescriptor;
import org.upshot.event.RunPriority;
import org.upshot.event.EventResult;

/**
 * An event on the engine's queue: the immutable {@link Event} plus its progress, the
 * number of jobs (and held condition leaves) it waits for, and whether one of them
 * failed. Engine thread only.
 */
public final class QueuedEvent implements Blocked {

    /** Where an event is in its life on the queue. */
    public enum Progress {
        /** Queued, not yet matched against any job. */
        PENDING,
        /** Matched; waiting until every job it affected is at rest. */
        HANDLING,
        /** Done; its completion has been reported. */
        FINISHED
    }

    /** Tells the queue when a condition leaf starts or stops holding an event. */
    public static final Condition.Holder<QueuedEvent> HOLDER = new Condition.Holder<>() {
        @Override
        public void hold(QueuedEvent event) {
            event.block();
        }

        @Override
        public void release(QueuedEvent event) {
            event.release(false);
        }
    };

    private final Event event;
    private final List<EventDescriptor> descriptors;
    private final RunPriority priority;
    private final CompletableFuture<EventResult> completion = new CompletableFuture<>();
    private Progress progress = Progress.PENDING;
    private int blockers;
    private boolean failed;
    private List<Runnable> onFinish = List.of();

    QueuedEvent(Event event, List<EventDescriptor> descriptors, RunPriority priority) {
        this.event = event;
        this.descriptors = List.copyOf(descriptors);
        this.priority = priority;
    }

    public Event event() {
        return event;
    }

    /** The open descriptors the event carries to the jobs it starts; released when it finishes. */
    public List<EventDescriptor> descriptors() {
        return descriptors;
    }

    /** How the runs the event starts are scheduled. */
    public RunPriority priority() {
        return priority;
    }

    public String name() {
        return event.name();
    }

    public Progress progress() {
        return progress;
    }

    void progress(Progress progress) {
        this.progress = progress;
    }

    /** Completed when the event finishes; on the engine thread. */
    public CompletableFuture<EventResult> completion() {
        return completion;
    }

    /** Something (a job, a condition leaf holding it) now keeps this event from finishing. */
    public void block() {
        blockers++;
    }

    @Override
    public void release(boolean jobFailed) {
        if (blockers <= 0) {
            throw new IllegalStateException("event " + event + " released more often than blocked");
        }
        blockers--;
        failed |= jobFailed;
    }

    public int blockers() {
        return blockers;
    }

    /** Runs {@code action} on the engine thread when this event finishes (a job waiting on it). */
    public void whenFinished(Runnable action) {
        if (onFinish.isEmpty()) {
            onFinish = new ArrayList<>(2);
        }
        onFinish.add(action);
    }

    /** Whether a job waits for this event to finish (its {@code starting} or {@code stopping}). */
    public boolean awaited() {
        return !onFinish.isEmpty();
    }

    List<Runnable> finishActions() {
        return onFinish;
    }

    public boolean failed() {
        return failed;
    }

    @Override
    public String toString() {
        return event.toString();
    }
}
