package org.upshot.event;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Queues events for the engine. Sources receive one through
 * {@link org.upshot.spi.source.SourceContext#emitter()}; it is the only way in.
 *
 * <p>Thread-safe and non-blocking: both methods only post to the engine's queue.
 */
@ProviderType
public interface EventEmitter {

    /**
     * Queues an event that carries nothing but itself.
     *
     * @return a stage completed, on the engine thread, once every job the event
     *     started or stopped has come to rest; callers must not block the engine in it
     */
    default CompletionStage<EventResult> emit(Event event) {
        return emit(event, List.of());
    }

    /**
     * Queues an event that carries open descriptors to the jobs it starts; see
     * {@link EventDescriptor} for who owns them when. If the engine has stopped, each
     * descriptor is released at once and the stage fails.
     *
     * @return as {@link #emit(Event)}
     */
    default CompletionStage<EventResult> emit(Event event, List<EventDescriptor> descriptors) {
        return emit(event, descriptors, RunPriority.NORMAL);
    }

    /**
     * Queues an event as {@link #emit(Event, List)} does, whose runs (every process of
     * each job instance it starts, for as long as that run lasts) are scheduled at
     * {@code priority}. A run that several events start together is
     * {@link RunPriority#BACKGROUND} only when each of them asks for it.
     *
     * @return as {@link #emit(Event)}; the one method an emitter implements
     */
    CompletionStage<EventResult> emit(Event event, List<EventDescriptor> descriptors, RunPriority priority);
}
