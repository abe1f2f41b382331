package org.upshot.source.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.upshot.source.files.Jobs.await;
import static org.upshot.source.files.Jobs.file;
import static org.upshot.source.files.Jobs.stays;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.TestSourceContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.upshot.event.Event;
import org.upshot.job.JobView;
import org.upshot.source.files.internal.PathWatcher;

/**
 * The files source against real directories, a real inotify watch service and the
 * SPI's emitter, as the engine would drive it: start, jobsChanged, stop.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FilesEventSourceContractTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(400);
    private static final Duration WINDOW = Duration.ofMillis(100);
    private static final int LIMIT = 16;

    @TempDir
    Path dir;

    private final CollectingEmitter emitter = new CollectingEmitter();
    private FilesEventSource source;

    @BeforeEach
    void startSource() throws Exception {
        startSource(PathWatcher.DIRECT);
    }

    private void startSource(PathWatcher.Registrar registrar) throws Exception {
        if (source != null) {
            source.stop();
        }
        source = new FilesEventSource(new PathWatcher.Settings(WINDOW, LIMIT, Duration.ofSeconds(1), dir), registrar);
        source.start(TestSourceContext.of(emitter, dir));
    }

    @AfterEach
    void stopSource() {
        emitter.open();
        source.stop();
    }

    private void jobs(JobView... jobs) {
        source.jobsChanged(List.of(jobs));
    }

    /** Waits for the event, proving the source has caught up with everything before it. */
    private Event expect(String file, String kind, Path match) {
        Event wanted = Event.of("file", "FILE=" + file, "EVENT=" + kind, "MATCH=" + match);
        await(() -> emitter.events.contains(wanted), WAIT, () -> "no " + wanted + " among " + emitter.events);
        return wanted;
    }

    /** Waits until the watcher has applied the last jobsChanged (a marker file answers). */
    private void settle() throws IOException {
        Path marker = Files.createDirectories(dir.resolve("marker"));
        String pattern = marker + "/*";
        List<JobView> current = new ArrayList<>(lastJobs);
        current.add(Jobs.startOn("marker", file(pattern, "create")));
        source.jobsChanged(current);
        Path touch = marker.resolve("m" + markers.incrementAndGet());
        Files.createFile(touch);
        expect(pattern, "create", touch);
    }

    private List<JobView> lastJobs = List.of();
    private final AtomicInteger markers = new AtomicInteger();

    private void jobsThenSettle(JobView... jobs) throws IOException {
        lastJobs = List.of(jobs);
        settle();
    }

    @Test
    void globMatchEmitsCreateWithPatternAsWrittenAndMatchedPath() throws IOException {
        Path queue = Files.createDirectories(dir.resolve("queue"));
        String pattern = queue + "/*.job";
        jobsThenSettle(Jobs.startOn("printer", file(pattern, "create")));

        Files.createFile(queue.resolve("ignored.txt"));
        Path job = Files.createFile(queue.resolve("c001.job"));

        expect(pattern, "create", job);
        assertTrue(emitter.matching(queue.resolve("ignored.txt")).isEmpty(), emitter.events::toString);
    }

    @Test
    void filePatternWithoutEventReportsCreateModifyAndDelete() throws IOException {
        Path config = dir.resolve("app.conf");
        jobsThenSettle(Jobs.startOn("app", file(config.toString(), null)));

        Files.writeString(config, "a");
        expect(config.toString(), "create", config);
        Files.writeString(config, "b", StandardOpenOption.APPEND);
        expect(config.toString(), "modify", config);
        Files.delete(config);
        expect(config.toString(), "delete", config);

        List<String> kinds = emitter.matching(config).stream().map(e -> e.get("EVENT").orElseThrow()).toList();
        assertEquals("create", kinds.get(0));
        assertEquals("delete", kinds.get(kinds.size() - 1));
    }

    @Test
    void eventKindFilterKeepsOtherKindsOut() throws IOException {
        Path pid = dir.resolve("app.pid");
        Files.writeString(pid, "1");
        jobsThenSettle(Jobs.startOn("gone", file(pid.toString(), "delete")));

        Files.writeString(pid, "2", StandardOpenOption.APPEND);
        Files.delete(pid);
        expect(pid.toString(), "delete", pid);
        assertEquals(1, emitter.matching(pid).size(), emitter.events::toString);
    }

    @Test
    void directoryPatternReportsItsEntries() throws IOException {
        Path spool = Files.createDirectories(dir.resolve("spool"));
        String pattern = spool + "/";
        jobsThenSettle(Jobs.startOn("cups", file(pattern, "create")));

        Path entry = Files.createFile(spool.resolve("d00001-001"));
        expect(pattern, "create", entry);
    }

    @ParameterizedTest(name = "watch PATH {0}")
    @CsvSource({
        "created,  FILE=<file>,  create",
        "modified, FILE=<file>,  modify",
        "deleted,  FILE=<file>,  delete",
        "nonempty, FILE=<dir>/,  create",
    })
    void watchStanzaFormsFire(String condition, String fileArgument, String kind) throws IOException {
        Path watched = Files.createDirectories(dir.resolve("w"));
        Path target = watched.resolve("t");
        if (!condition.equals("created") && !condition.equals("nonempty")) {
            Files.writeString(target, "x");
        }
        String pathWord = condition.equals("nonempty") ? watched.toString() : target.toString();
        jobsThenSettle(Jobs.watching("w", List.of(List.of(pathWord, condition))));

        switch (condition) {
            case "created", "nonempty" -> Files.writeString(target, "x");
            case "modified" -> Files.writeString(target, "y", StandardOpenOption.APPEND);
            default -> Files.delete(target);
        }
        String file = fileArgument.replace("<file>", target.toString()).replace("<dir>", watched.toString())
                .substring("FILE=".length());
        expect(file, kind, target);
    }

    @Test
    void conditionsTrueAtStartAreAnnounced() throws IOException {
        Path queue = Files.createDirectories(dir.resolve("queue"));
        Path leftover = Files.createFile(queue.resolve("c00042"));
        Path emptyQueue = Files.createDirectories(dir.resolve("empty"));
        Path flag = Files.createFile(dir.resolve("flag"));
        Path modifyOnly = Files.createFile(dir.resolve("modify-only"));

        jobsThenSettle(
                Jobs.watching("cups", List.of(List.of(queue.toString(), "nonempty"))),
                Jobs.watching("idle", List.of(List.of(emptyQueue.toString(), "nonempty"))),
                Jobs.startOn("flagged", file(flag.toString(), "create")),
                Jobs.startOn("tweaked", file(modifyOnly.toString(), "modify")));

        expect(queue + "/", "create", leftover);
        expect(flag.toString(), "create", flag);
        assertTrue(emitter.events.stream().noneMatch(e -> e.get("FILE").orElseThrow().startsWith(emptyQueue.toString())),
                emitter.events::toString);
        assertTrue(emitter.matching(modifyOnly).isEmpty(), emitter.events::toString);

        Path arrival = Files.createFile(emptyQueue.resolve("first"));
        expect(emptyQueue + "/", "create", arrival);
    }

    @Test
    void announcementIsOncePerJobAndAgainForAJobFirstSeenLater() throws IOException {
        Path flag = Files.createFile(dir.resolve("flag"));
        JobView first = Jobs.startOn("first", file(flag.toString(), "create"));
        jobsThenSettle(first);
        expect(flag.toString(), "create", flag);

        jobsThenSettle(first);
        assertEquals(1, emitter.matching(flag).size(), "an unchanged job is not announced again");

        jobsThenSettle(first, Jobs.startOn("second", file(flag.toString(), "create")));
        await(() -> emitter.matching(flag).size() == 2, WAIT, emitter.events::toString);
    }

    @Test
    void stopOnMatchesAreWatchedButNotAnnounced() throws IOException {
        Path stamp = Files.createFile(dir.resolve("stamp"));
        jobsThenSettle(Jobs.stopOn("stopper", file(stamp.toString(), null)));
        assertTrue(emitter.matching(stamp).isEmpty(), emitter.events::toString);

        Files.delete(stamp);
        expect(stamp.toString(), "delete", stamp);
    }

    @Test
    void missingDirectoryIsWatchedThroughItsNearestAncestor() throws IOException {
        Path deep = dir.resolve("a/b/c");
        String pattern = deep + "/*.job";
        jobsThenSettle(Jobs.startOn("deep", file(pattern, "create")));

        Files.createDirectories(deep);
        Path job = Files.createFile(deep.resolve("x.job"));
        expect(pattern, "create", job);

        // A directory that arrives already holding files (renamed into place) reports them too.
        Path staged = Files.createDirectories(dir.resolve("staging/d"));
        Path inside = Files.createFile(staged.resolve("y.job"));
        String other = dir.resolve("a/b/d") + "/*.job";
        jobsThenSettle(Jobs.startOn("deep", file(pattern, "create")), Jobs.startOn("moved", file(other, "create")));
        Files.move(staged, dir.resolve("a/b/d"));
        expect(other, "create", dir.resolve("a/b/d").resolve(inside.getFileName()));
    }

    @Test
    void deletedAndRecreatedDirectoryKeepsWorking() throws IOException {
        Path queue = Files.createDirectories(dir.resolve("queue"));
        String pattern = queue + "/";
        jobsThenSettle(Jobs.startOn("q", file(pattern, null)));
        Path before = Files.createFile(queue.resolve("before"));
        expect(pattern, "create", before);

        Files.delete(before);
        Files.delete(queue);
        expect(pattern, "delete", before);

        for (int round = 0; round < 3; round++) {
            Files.createDirectories(queue);
            Path after = Files.createFile(queue.resolve("after" + round));
            expect(pattern, "create", after);
            Files.delete(after);
            Files.delete(queue);
            expect(pattern, "delete", after);
        }
    }

    @Test
    void overflowTriggersARescanThatMissesNothing() throws IOException {
        Path queue = Files.createDirectories(dir.resolve("queue"));
        String pattern = queue + "/*.job";
        jobsThenSettle(Jobs.startOn("q", file(pattern, "create")));

        // Stall the watcher inside emit, then change far more than a watch key holds (512).
        emitter.hold();
        Path first = Files.createFile(queue.resolve("first.job"));
        await(() -> emitter.entered.getCount() == 0, WAIT, () -> "emit never called");
        for (int i = 0; i < 2000; i++) {
            Files.createFile(queue.resolve("noise" + i + ".txt"));
        }
        Path last = Files.createFile(queue.resolve("last.job"));
        emitter.open();

        expect(pattern, "create", first);
        expect(pattern, "create", last);
        assertTrue(source.watcher().rescans() >= 1, "the burst should have overflowed the watch key");
        assertEquals(1, emitter.matching(last).size(), emitter.events::toString);
    }

    @Test
    void burstOfTenThousandFilesStaysBounded() throws IOException {
        Path queue = Files.createDirectories(dir.resolve("queue"));
        String pattern = queue + "/";
        jobsThenSettle(Jobs.startOn("q", file(pattern, "create")));
        int before = emitter.events.size();

        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            Files.createFile(queue.resolve("f" + i));
        }
        await(() -> !emitter.matching(queue.resolve("f0")).isEmpty(), WAIT, () -> "no event for the burst");
        // Settled: no new event for several windows.
        awaitQuiet(Duration.ofMillis(5 * WINDOW.toMillis()));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        long burstEvents = emitter.events.size() - before;
        long bound = 1 + LIMIT * (elapsedMillis / WINDOW.toMillis() + 2);
        System.out.printf("10,000 files in %d ms gave %d events (bound %d)%n", elapsedMillis, burstEvents, bound);
        assertTrue(burstEvents <= bound, burstEvents + " events exceed the bound " + bound);
        assertTrue(burstEvents < 10_000 / 2, burstEvents + " events for 10,000 files is not coalescing");
    }

    private void awaitQuiet(Duration quiet) {
        await(() -> {
            int size = emitter.events.size();
            return stays(() -> emitter.events.size() != size, quiet);
        }, Duration.ofSeconds(30), () -> "events never stopped");
    }

    @Test
    void watchSetFollowsJobChangesLive() throws IOException {
        Path one = Files.createDirectories(dir.resolve("one"));
        Path two = Files.createDirectories(dir.resolve("two"));
        JobView first = Jobs.startOn("first", file(one + "/", "create"));
        JobView second = Jobs.startOn("second", file(two + "/", "create"));

        jobsThenSettle(first);
        Path ignored = Files.createFile(two.resolve("ignored"));
        Path seen = Files.createFile(one.resolve("seen"));
        expect(one + "/", "create", seen);
        assertTrue(emitter.matching(ignored).isEmpty(), emitter.events::toString);

        jobsThenSettle(second);
        // The job that appeared is owed the announcement of what its directory holds.
        expect(two + "/", "create", ignored);
        Files.createFile(one.resolve("unwatched"));
        Path now = Files.createFile(two.resolve("now"));
        expect(two + "/", "create", now);
        assertTrue(emitter.matching(one.resolve("unwatched")).isEmpty(), emitter.events::toString);
    }

    @Test
    void watchLimitIsLoggedNamingTheJobAndRetried() throws Exception {
        Path queue = Files.createDirectories(dir.resolve("queue"));
        AtomicInteger refusals = new AtomicInteger();
        startSource((directory, service) -> {
            if (directory.equals(queue) && refusals.getAndIncrement() == 0) {
                throw new IOException("User limit of inotify watches reached");
            }
            return PathWatcher.DIRECT.register(directory, service);
        });
        List<String> errors = captureErrors();

        jobsThenSettle(Jobs.startOn("cups", file(queue + "/*", "create")), Jobs.startOn("other",
                file(dir.resolve("other") + "/", "create")));
        await(() -> errors.stream().anyMatch(m -> m.contains("cups") && m.contains(queue.toString())
                && m.contains("User limit of inotify watches reached")), WAIT, errors::toString);

        Path other = Files.createFile(Files.createDirectories(dir.resolve("other")).resolve("o"));
        expect(dir.resolve("other") + "/", "create", other);

        // The retry (every second here) succeeds and the queue is watched after all.
        await(() -> refusals.get() >= 2, WAIT, () -> "no retry");
        Path job = Files.createFile(queue.resolve("late"));
        expect(queue + "/*", "create", job);
    }

    private List<String> captureErrors() {
        List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("org.upshot.source.files");
        SimpleFormatter formatter = new SimpleFormatter();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                messages.add(formatter.formatMessage(record));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        return messages;
    }

    @Test
    void nothingIsEmittedAfterStop() throws IOException {
        Path queue = Files.createDirectories(dir.resolve("queue"));
        jobsThenSettle(Jobs.startOn("q", file(queue + "/", null)));
        source.stop();
        int after = emitter.events.size();

        for (int i = 0; i < 50; i++) {
            Files.createFile(queue.resolve("late" + i));
        }
        assertTrue(stays(() -> emitter.events.size() != after, QUIET), emitter.events::toString);
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("upshot-files") && t.isAlive()), "watcher threads still alive");
    }

    @AfterEach
    void removeTree() throws IOException {
        // Large bursts leave many files; delete depth-first so @TempDir cleanup stays cheap.
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(dir)) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
