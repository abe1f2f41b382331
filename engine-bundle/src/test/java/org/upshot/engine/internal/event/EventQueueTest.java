package org.upshot.engine.internal.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.upshot.event.Event;
import org.upshot.event.EventResult;

class EventQueueTest {

    private final List<String> handled = new ArrayList<>();
    private final List<QueuedEvent> held = new ArrayList<>();
    private final EventQueue queue = new EventQueue(event -> {
        handled.add(event.event().toString());
        if (event.name().startsWith("hold")) {
            event.block();
            held.add(event);
        }
    });

    @Test
    void anUnblockedEventFinishesInTheSamePoll() {
        // nothing holds it: handled and finished at once, result OK.
        QueuedEvent event = queue.emit(Event.of("startup"));
        queue.poll();
        assertEquals(QueuedEvent.Progress.FINISHED, event.progress());
        assertEquals(EventResult.OK, event.completion().join());
        assertTrue(queue.isEmpty());
    }

    @Test
    void aBlockedEventWaitsUntilReleased() {
        // a job holding the event keeps it in handling until it releases it.
        QueuedEvent event = queue.emit(Event.of("hold-me"));
        queue.poll();
        assertEquals(QueuedEvent.Progress.HANDLING, event.progress());
        assertFalse(event.completion().isDone());
        event.release(false);
        queue.poll();
        assertEquals(EventResult.OK, event.completion().join());
    }

    @Test
    void aFailedEventIsFollowedByFailedButNeverFailedFailed() {
        // a job failed: NAME/failed with the same environment, and no NAME/failed/failed.
        QueuedEvent event = queue.emit(Event.of("hold-net", "IFACE=eth0"));
        queue.poll();
        event.release(true);
        queue.poll();
        assertEquals(EventResult.FAILED, event.completion().join());
        assertEquals(List.of("hold-net IFACE=eth0", "hold-net/failed IFACE=eth0"), handled);
        held.get(1).release(true);
        queue.poll();
        assertEquals(2, handled.size());
    }

    @Test
    void finishActionsRunWhenTheEventFinishes() {
        // a job waiting on its starting event moves on only when it completes.
        List<String> log = new ArrayList<>();
        QueuedEvent event = queue.emit(Event.of("hold-starting"));
        event.whenFinished(() -> log.add("job moves on"));
        queue.poll();
        assertEquals(List.of(), log);
        event.release(false);
        queue.poll();
        assertEquals(List.of("job moves on"), log);
    }

    @Test
    void theTraceSeesEachEventQueuedHandledAndFinishedAndAFailureBeforeNameFailedIsQueued() {
        // the journal's view: a held event that fails, then its NAME/failed.
        List<String> trace = new ArrayList<>();
        EventQueue traced = new EventQueue(event -> {
            if (event.name().equals("hold-net")) {
                event.block();
                held.add(event);
            }
        }, event -> trace.add(event.progress() + " " + event.name() + (event.failed() ? " failed" : "")));
        traced.emit(Event.of("hold-net"));
        traced.poll();
        held.get(0).release(true);
        traced.poll();
        assertEquals(List.of("PENDING hold-net", "HANDLING hold-net", "FINISHED hold-net failed",
                "PENDING hold-net/failed", "HANDLING hold-net/failed", "FINISHED hold-net/failed"), trace);
    }
}
