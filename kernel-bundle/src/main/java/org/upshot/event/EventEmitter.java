package org.upshot.event;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Queues events for the engine. Provided by the engine as an OSGi service; sources
 * receive one through {@link org.upshot.spi.source.EventSource#start}.
 *
 * <p>Thread-safe and non-blocking: {@link #emit} only posts to the engine's queue.
 */
@ProviderType
public interface EventEmitter {

    /**
     * Queues an event.
     *
     * @return a stage completed, on the engine thread, once every job the event
     *     started or stopped has come to rest; callers must not block the engine in it
     */
    CompletionStage<EventResult> emit(Event event);
}
