package org.upshot.spi.source;

import java.util.Collection;
import org.osgi.annotation.versioning.ConsumerType;
import org.upshot.job.InstanceChange;
import org.upshot.job.JobView;

/**
 * A plugin that emits events. Implemented by source bundles (a Declarative Services
 * component registered under this interface and declared with
 * {@link SourceDeclaration}); called by the engine.
 *
 * <p>Lifetime: {@link #start} once, then any number of {@link #jobsChanged},
 * {@link #instanceChanged} and {@link #pause}/{@link #resume}, then {@link #stop} once.
 * The engine makes the calls one at a time, in order, from a thread it keeps for this
 * source (never its own job thread), so an implementation needs no locking between them;
 * it does its blocking work (reading a netlink socket, waiting on inotify) on threads of
 * its own. A call that throws disables the source; one that has not returned after the
 * engine's call timeout (10 s) is logged as hung and the source is disabled too: later
 * calls, {@link #stop} included, are not made. Either way the engine and every job go on.
 */
@ConsumerType
public interface EventSource {

    /**
     * Starts emitting. Conditions already true at this moment (a queue directory
     * already non-empty, devices already present) should be announced now.
     *
     * @param context the emitter and what else the engine offers sources; valid until
     *     {@link #stop} returns
     * @throws Exception if the source cannot run; it is logged and the source left stopped
     */
    void start(SourceContext context) throws Exception;

    /**
     * Tells the source which jobs exist, so it can watch what they wait for
     * ({@code start on file FILE=/spool/*}). Called after {@link #start} and after
     * every configuration change, each time with the whole current set.
     */
    default void jobsChanged(Collection<JobView> jobs) {}

    /**
     * Tells the source that an instance passed a milestone (starting, started,
     * stopping, stopped), in the order the engine passed them: a socket source stops
     * watching a listener while its job runs, a D-Bus source answers a failed activation.
     */
    default void instanceChanged(InstanceChange change) {}

    /**
     * The daemon is about to replace its program ({@code initctl reexec}): take in nothing
     * more that would be lost with it (accept no connection, read no message) until
     * {@link #resume}, and return once nothing is being taken in. What waits in the kernel
     * meanwhile (a listening socket's backlog, a handed-over socket's queue) is the next
     * program's; the events emitted before this returns are handed over to it.
     */
    default void pause() {}

    /**
     * The re-exec was given up after {@link #pause}: take in input again.
     *
     * @throws Exception if the source cannot go on; it is logged and the source disabled
     */
    default void resume() throws Exception {}

    /** Stops emitting and releases every resource; no event may be emitted afterwards. */
    void stop();
}
