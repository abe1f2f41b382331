package org.upshot.spi.source;

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
}
