package org.upshot.source.socket.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.upshot.event.Event;
import org.upshot.event.EventDescriptor;
import org.upshot.event.EventEmitter;
import org.upshot.event.EventResult;
import org.upshot.event.RunPriority;
import org.upshot.testkit.Await;

/** Records each event with its descriptors and leaves it unfinished until the test finishes it. */
final class HeldEmitter implements EventEmitter {

    /** One emitted event, still holding its descriptors. */
    record Held(Event event, List<EventDescriptor> descriptors, CompletableFuture<EventResult> done) {
        String get(String key) {
            for (String entry : event.env()) {
                if (entry.startsWith(key + "=")) {
                    return entry.substring(key.length() + 1);
                }
            }
            return null;
        }

        /** Releases the descriptors and completes the event, as the engine does when it finishes. */
        void finish() {
            descriptors.forEach(EventDescriptor::release);
            done.complete(EventResult.OK);
        }
    }

    private final List<Held> held = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<EventResult> emit(Event event, List<EventDescriptor> descriptors, RunPriority priority) {
        CompletableFuture<EventResult> done = new CompletableFuture<>();
        held.add(new Held(event, List.copyOf(descriptors), done));
        return done;
    }

    List<Held> events() {
        return List.copyOf(held);
    }

    /** Waits for the {@code n}th event (1-based). */
    Held await(int n) {
        Await.until(Duration.ofSeconds(10), () -> held.size() >= n, () -> "event " + n + " never came: " + held);
        return held.get(n - 1);
    }

    void finishAll() {
        held.forEach(h -> {
            if (!h.done().isDone()) {
                h.finish();
            }
        });
    }
}
