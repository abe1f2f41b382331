package org.upshot.spi.source;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;
import org.upshot.daemon.DaemonSettings;
import org.upshot.event.EventEmitter;
import org.upshot.job.InstanceRef;

/**
 * What the engine offers one started source. Provided by the engine; thread-safe, every
 * method may be called from any thread and returns at once.
 */
@ProviderType
public interface SourceContext {

    /** Where this source's events go; the engine's log names the source on each. */
    EventEmitter emitter();

    /**
     * The instance a process belongs to: the instance whose main process or helper it is,
     * or whose such process it descends from (walking parents, stopping at the daemon). For
     * readiness protocols that authenticate a sender by its pid, as sd_notify does.
     *
     * @return empty for a process no instance owns, or one that has already exited
     */
    Optional<InstanceRef> ownerOf(int pid);

    /** The daemon's settings: mode and directories (runtime, state) a source may use. */
    DaemonSettings settings();

    /**
     * Lines this source shows under {@code job} in {@code initctl status} and {@code list}
     * ({@code notes} in the control protocol), replacing what it showed there before; an
     * empty list removes them. Kept until replaced, until the job is removed, or until the
     * source stops or is disabled. A job the source has not been told about (through
     * {@link EventSource#jobsChanged}) shows nothing. Any thread; returns at once.
     *
     * @param job the job's name
     * @param lines the lines, in the order shown
     */
    void describe(String job, List<String> lines);
}
