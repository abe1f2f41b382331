package org.upshot.spi.source;

import java.util.Collection;
import org.osgi.annotation.versioning.ConsumerType;
import org.upshot.event.EventEmitter;
import org.upshot.job.JobView;

/**
 * A plugin that emits events. Implemented by source bundles, called by the engine.
 *
 * <p>Lifetime: {@link #start} once, then any number of {@link #jobsChanged}, then
 * {@link #stop} once. Calls come from one engine thread and must return promptly;
 * a source does its blocking work (reading a netlink socket, waiting on inotify)
 * on threads of its own.
 */
@ConsumerType
public interface EventSource {

    /** A short, stable name for logs and {@code initctl}, e.g. {@code "files"}. */
    String name();

    /**
     * Starts emitting. Conditions already true at this moment (a queue directory
     * already non-empty, devices already present) should be announced now.
     *
     * @param emitter where to send events; valid until {@link #stop}
     * @throws Exception if the source cannot run; it is logged and the source left stopped
     */
    void start(EventEmitter emitter) throws Exception;

    /**
     * Tells the source which jobs exist, so it can watch what they wait for
     * ({@code start on file FILE=/spool/*}). Called after {@link #start} and after
     * every configuration change, each time with the whole current set.
     */
    default void jobsChanged(Collection<JobView> jobs) {}

    /** Stops emitting and releases every resource; no event may be emitted afterwards. */
    void stop();
}
