package org.upshot.engine.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.parse.StanzaLookup;
import org.upshot.engine.internal.parse.Diagnostic.Kind;
import org.upshot.engine.internal.parse.StanzaLookup;

/**
 * Live reload against real files: the watcher sees adds, edits, broken edits, fixes and
 * deletes, and hands over change sets in order. The test keeps its own copy of the
 * registry, applying each change set as the engine would.
 */
@Timeout(60)
class ConfigurationWatcherTest {

    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path root;

    private final LinkedBlockingQueue<ChangeSet> received = new LinkedBlockingQueue<>();
    private final Map<String, JobClass> registry = new HashMap<>();
    private ConfigurationWatcher watcher;

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private void start(Path... confdirs) throws IOException {
        ConfigurationLoader loader = new ConfigurationLoader(List.of(confdirs), StanzaLookup.NONE);
        registry.putAll(loader.load().jobs());
        watcher = ConfigurationWatcher.start(loader, received::add);
    }

    /** Applies change sets as they arrive until {@code condition} holds; returns the one that made it hold. */
    private ChangeSet awaitChange(Predicate<ChangeSet> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            ChangeSet changes = received.poll(100, TimeUnit.MILLISECONDS);
            if (changes != null) {
                registry.putAll(changes.updated());
                changes.removed().forEach(registry::remove);
                if (condition.test(changes)) {
                    return changes;
                }
            }
        }
        throw new AssertionError("no matching change set within " + WAIT_SECONDS + " s; registry " + registry.keySet());
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        // Write then rename, as editors and package managers do, so no half-written file is seen.
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temporary, text);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void addEditBreakFixDeleteAJob() throws Exception {
        Path etc = root.resolve("init");
        Files.createDirectories(etc);
        start(etc);
        Path foo = etc.resolve("foo.conf");

        write(foo, "exec /bin/one\n");
        awaitChange(c -> c.updated().containsKey("foo"));
        assertEquals("/bin/one", registry.get("foo").main().orElseThrow().command());

        write(foo, "exec /bin/two\n");
        awaitChange(c -> c.updated().containsKey("foo"));
        assertEquals("/bin/two", registry.get("foo").main().orElseThrow().command());

        write(foo, "exec /bin/three\nnice 42\n");
        ChangeSet broken = awaitChange(c -> !c.diagnostics().isEmpty());
        assertEquals(Kind.ILLEGAL_NICE, broken.diagnostics().get(0).kind());
        assertEquals(foo, broken.diagnostics().get(0).file());
        assertFalse(broken.changesJobs(), "a broken edit keeps the previous definition");
        assertEquals("/bin/two", registry.get("foo").main().orElseThrow().command());

        write(foo, "exec /bin/three\nnice 10\n");
        awaitChange(c -> c.updated().containsKey("foo"));
        assertEquals("/bin/three", registry.get("foo").main().orElseThrow().command());

        Files.delete(foo);
        awaitChange(c -> c.removed().contains("foo"));
        assertFalse(registry.containsKey("foo"));
    }

    @Test
    void jobsInANewSubdirectoryAreSeen() throws Exception {
        Path etc = root.resolve("init");
        Files.createDirectories(etc);
        start(etc);
        write(etc.resolve("net/deep/apache.conf"), "exec /bin/apache\n");
        awaitChange(c -> c.updated().containsKey("net/deep/apache"));
        // The new directory is watched too: a second file in it is picked up.
        write(etc.resolve("net/deep/nginx.conf"), "exec /bin/nginx\n");
        awaitChange(c -> c.updated().containsKey("net/deep/nginx"));
        assertTrue(registry.containsKey("net/deep/apache"));
    }

    @Test
    void overrideCreatedAndDeletedReappliesTheConf() throws Exception {
        Path etc = root.resolve("init");
        write(etc.resolve("foo.conf"), "start on startup\nexec /bin/foo\n");
        start(etc);
        assertTrue(registry.get("foo").startOn().isPresent());
        Path override = etc.resolve("foo.override");
        write(override, "manual\n");
        awaitChange(c -> c.updated().containsKey("foo"));
        assertTrue(registry.get("foo").manual());
        Files.delete(override);
        awaitChange(c -> c.updated().containsKey("foo"));
        assertFalse(registry.get("foo").manual());
        assertTrue(registry.get("foo").startOn().isPresent());
    }

    @Test
    void confdirCreatedAfterStartIsWatched() throws Exception {
        Path late = root.resolve("late");
        start(late);
        write(late.resolve("foo.conf"), "exec /bin/foo\n");
        awaitChange(c -> c.updated().containsKey("foo"));
        assertNotNull(registry.get("foo"));
    }

    @Test
    void reloadRescansAndReportsEveryErrorAgain() throws Exception {
        Path etc = root.resolve("init");
        write(etc.resolve("bad.conf"), "wibble\n");
        write(etc.resolve("good.conf"), "exec /bin/good\n");
        start(etc);
        ChangeSet changes = watcher.reload().get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(1, changes.diagnostics().size());
        assertEquals(Kind.UNKNOWN_STANZA, changes.diagnostics().get(0).kind());
        assertFalse(changes.changesJobs());
        assertEquals(Optional.of(changes), Optional.ofNullable(received.poll(WAIT_SECONDS, TimeUnit.SECONDS)));
    }
}
