package org.upshot.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.upshot.daemon.DaemonSettings;
import org.upshot.event.EventEmitter;
import org.upshot.job.InstanceRef;
import org.upshot.spi.source.SourceContext;

/**
 * A {@link SourceContext} for testing a source on its own, without an engine: events go
 * to the emitter the test gives (one that records them), a process belongs to the
 * instance the test said it does ({@link #own}), what the source reports about instances
 * ({@code moveMainProcess}, {@code abort}, {@code extendTimeout}) is kept as text
 * ({@link #reports}), the settings are a session daemon's under a directory of the test's, and the
 * latest lines the source {@linkplain #describe described} under each job are kept for
 * the test to read. Thread-safe.
 */
public final class TestSourceContext implements SourceContext {

    private final EventEmitter emitter;
    private final DaemonSettings settings;
    private final Map<String, List<String>> descriptions = new ConcurrentHashMap<>();
    private final Map<Integer, InstanceRef> owners = new ConcurrentHashMap<>();
    private final List<String> reports = new CopyOnWriteArrayList<>();

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

    /** From now on {@link #ownerOf} answers {@code instance} for {@code pid} (and for nothing else it was not told). */
    public void own(long pid, InstanceRef instance) {
        owners.put((int) pid, instance);
    }

    @Override
    public Optional<InstanceRef> ownerOf(int pid) {
        return Optional.ofNullable(owners.get(pid));
    }

    /** The highest pid the test made a process of {@code instance} ({@link #own}); empty if none. */
    @Override
    public OptionalInt mainProcess(InstanceRef instance) {
        return owners.entrySet().stream().filter(e -> e.getValue().equals(instance))
                .mapToInt(Map.Entry::getKey).max();
    }

    /** {@code move INSTANCE OLD NEW}, as {@link InstanceRef#displayName()} names the instance. */
    @Override
    public void moveMainProcess(InstanceRef instance, int oldPid, int newPid) {
        reports.add("move " + instance.displayName() + " " + oldPid + " " + newPid);
    }

    /** {@code abort INSTANCE PID PROCESS}. */
    @Override
    public void abort(InstanceRef instance, int pid, String process) {
        reports.add("abort " + instance.displayName() + " " + pid + " " + process);
    }

    /** {@code extend INSTANCE PID MILLIS}. */
    @Override
    public void extendTimeout(InstanceRef instance, int pid, Duration extension) {
        reports.add("extend " + instance.displayName() + " " + pid + " " + extension.toMillis());
    }

    /** What the source reported about instances, in order; see the class comment. */
    public List<String> reports() {
        return List.copyOf(reports);
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
