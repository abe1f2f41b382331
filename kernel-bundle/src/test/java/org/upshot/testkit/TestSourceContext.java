package org.upshot.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.upshot.daemon.DaemonSettings;
import org.upshot.event.EventEmitter;
import org.upshot.job.InstanceRef;
import org.upshot.spi.source.SourceContext;

/**
 * A {@link SourceContext} for testing a source on its own, without an engine: events go
 * to the emitter the test gives (one that records them), no process belongs to any
 * instance, the settings are a session daemon's under a directory of the test's, and the
 * latest lines the source {@linkplain #describe described} under each job are kept for
 * the test to read. Thread-safe.
 */
public final class TestSourceContext implements SourceContext {

    private final EventEmitter emitter;
    private final DaemonSettings settings;
    private final Map<String, List<String>> descriptions = new ConcurrentHashMap<>();

    /**
     * @param emitter where the source's events go
     * @param settings what {@link #settings()} answers
     */
    public TestSourceContext(EventEmitter emitter, DaemonSettings settings) {
        this.emitter = emitter;
        this.settings = settings;
    }

    /** A context over {@code emitter}, with session settings whose directories are under {@code dir}. */
    public static TestSourceContext of(EventEmitter emitter, Path dir) {
        DaemonSettings.Facts facts = new DaemonSettings.Facts(ProcessHandle.current().pid(), 1000, Map.of(), dir);
        return new TestSourceContext(emitter, DaemonSettings.builder(DaemonSettings.Mode.SESSION, facts, dir)
                .runtimeDir(dir.resolve("run")).logDir(dir.resolve("log")).stateDir(dir.resolve("state")).build());
    }

    @Override
    public EventEmitter emitter() {
        return emitter;
    }

    @Override
    public Optional<InstanceRef> ownerOf(int pid) {
        return Optional.empty();
    }

    @Override
    public DaemonSettings settings() {
        return settings;
    }

    /** Records {@code lines} as what {@code job} shows now, as the engine would; any job is accepted. */
    @Override
    public void describe(String job, List<String> lines) {
        if (lines.isEmpty()) {
            descriptions.remove(job);
        } else {
            descriptions.put(job, List.copyOf(lines));
        }
    }

    /** The lines the source shows under {@code job} now; empty if none. */
    public List<String> description(String job) {
        return descriptions.getOrDefault(job, List.of());
    }

    /**
     * Waits until what the source shows under {@code job} matches {@code wanted}.
     *
     * @return the lines that matched
     * @throws AssertionError after {@code timeout}, naming what was shown last
     */
    public List<String> awaitDescription(String job, Predicate<List<String>> wanted, Duration timeout) {
        AtomicReference<List<String>> seen = new AtomicReference<>();
        Await.until(timeout, () -> wanted.test(seen.updateAndGet(previous -> description(job))),
                () -> "lines under " + job + " were " + seen.get());
        return seen.get();
    }
}
