package org.upshot.source.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoalescerTest {

    private static final long WINDOW = 100;
    private static final PathPattern QUEUE = PathPattern.parse("/q/", Path.of("/root"));
    private static final PathPattern OTHER = PathPattern.parse("/q/*.job", Path.of("/root"));

    private final Coalescer coalescer = new Coalescer(WINDOW, 3);

    private static Path file(int i) {
        return Path.of("/q/f" + i);
    }

    @Test
    void aLoneChangeIsEmittedAtOnce() {
        assertEquals(List.of(new Coalescer.Emission(QUEUE, FileEventKind.CREATE, file(1))),
                coalescer.offer(QUEUE, FileEventKind.CREATE, file(1), 0));
        assertTrue(coalescer.flush(WINDOW).isEmpty());
        assertTrue(coalescer.nextDeadline().isEmpty(), "a quiet window closes");
        assertEquals(1, coalescer.offer(QUEUE, FileEventKind.CREATE, file(2), WINDOW + 1).size(),
                "after a quiet window the next change is immediate again");
    }

    @Test
    void changesInsideTheWindowAreHeldToItsEnd() {
        coalescer.offer(QUEUE, FileEventKind.CREATE, file(1), 0);
        assertTrue(coalescer.offer(QUEUE, FileEventKind.CREATE, file(2), 10).isEmpty());
        assertTrue(coalescer.offer(QUEUE, FileEventKind.CREATE, file(2), 20).isEmpty());
        assertTrue(coalescer.flush(WINDOW - 1).isEmpty(), "not due yet");
        assertEquals(List.of(new Coalescer.Emission(QUEUE, FileEventKind.CREATE, file(2))), coalescer.flush(WINDOW),
                "each distinct path once");
    }

    @Test
    void groupsAreSeparateByPatternAndKind() {
        assertEquals(1, coalescer.offer(QUEUE, FileEventKind.CREATE, file(1), 0).size());
        assertEquals(1, coalescer.offer(QUEUE, FileEventKind.DELETE, file(1), 1).size());
        assertEquals(1, coalescer.offer(OTHER, FileEventKind.CREATE, file(1), 2).size());
    }

    @Test
    void aBurstEmitsAtMostLimitPerWindowAndEndsWithAnEventAfterTheLastChange() {
        List<Coalescer.Emission> out = new ArrayList<>();
        long lastEmission = -1;
        long now = 0;
        for (int i = 0; i < 10_000; i++, now++) {
            List<Coalescer.Emission> emitted = new ArrayList<>(coalescer.flush(now));
            emitted.addAll(coalescer.offer(QUEUE, FileEventKind.CREATE, file(i), now));
            out.addAll(emitted);
            lastEmission = emitted.isEmpty() ? lastEmission : now;
        }
        long lastChange = now - 1;
        while (coalescer.nextDeadline().isPresent()) {
            now = coalescer.nextDeadline().getAsLong();
            List<Coalescer.Emission> emitted = coalescer.flush(now);
            out.addAll(emitted);
            lastEmission = emitted.isEmpty() ? lastEmission : now;
        }
        assertTrue(out.size() <= 1 + 3 * (lastChange / WINDOW + 2), out.size() + " events");
        assertEquals(10_000, out.size() + coalescer.dropped(), "every change is emitted or counted as dropped");
        assertTrue(lastEmission > lastChange, "a dropped change is still followed by an event");
    }
}
