package org.upshot.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a source describes through the test context, as source tests read it. */
@Timeout(30)
class TestSourceContextTest {

    @TempDir
    Path dir;

    @Test
    void theLatestLinesReplaceEarlierOnesAndEmptyRemovesThem() {
        // replaced per job, other jobs untouched; an empty list leaves nothing.
        TestSourceContext context = TestSourceContext.of(new RecordingEmitter(), dir);
        context.describe("web", List.of("listening tcp 127.0.0.1:8080"));
        context.describe("web", List.of("listening tcp 127.0.0.1:8081", "listening unix /run/web.sock"));
        context.describe("db", List.of("listening tcp 127.0.0.1:5432"));
        assertEquals(List.of("listening tcp 127.0.0.1:8081", "listening unix /run/web.sock"), context.description("web"));
        context.describe("web", List.of());
        assertEquals(List.of(), context.description("web"));
        assertEquals(List.of("listening tcp 127.0.0.1:5432"), context.description("db"));
    }

    @Test
    void aTestWaitsForWhatAnotherThreadDescribes() {
        // the source's own thread describes; the wait ends with what matched, or fails naming what was seen.
        TestSourceContext context = TestSourceContext.of(new RecordingEmitter(), dir);
        CompletableFuture.runAsync(() -> context.describe("web", List.of("paused")));
        assertEquals(List.of("paused"), context.awaitDescription("web", lines -> !lines.isEmpty(), Duration.ofSeconds(10)));
        AssertionError timedOut = assertThrows(AssertionError.class,
                () -> context.awaitDescription("web", List::isEmpty, Duration.ofMillis(50)));
        assertEquals("timed out after 50 ms: lines under web were [paused]", timedOut.getMessage());
    }
}
