package org.upshot.testkit;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.upshot.daemon.DaemonSettings;
import org.upshot.event.EventEmitter;
import org.upshot.job.InstanceRef;
import org.upshot.spi.source.SourceContext;

/**
 * A {@link SourceContext} for testing a source on its own, without an engine: events go
 * to the emitter the test gives (one that records them), no process belongs to any
 * instance, and the settings are a session daemon's under a directory of the test's.
 *
 * @param emitter where the source's events go
 * @param settings what {@link #settings()} answers
 */
public record TestSourceContext(EventEmitter emitter, DaemonSettings settings) implements SourceContext {

    /** A context over {@code emitter}, with session settings whose directories are under {@code dir}. */
    public static TestSourceContext of(EventEmitter emitter, Path dir) {
        DaemonSettings.Facts facts = new DaemonSettings.Facts(ProcessHandle.current().pid(), 1000, Map.of(), dir);
        return new TestSourceContext(emitter, DaemonSettings.builder(DaemonSettings.Mode.SESSION, facts, dir)
                .runtimeDir(dir.resolve("run")).logDir(dir.resolve("log")).stateDir(dir.resolve("state")).build());
    }

    @Override
    public Optional<InstanceRef> ownerOf(int pid) {
        return Optional.empty();
    }
}
