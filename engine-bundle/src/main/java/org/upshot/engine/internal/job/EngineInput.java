package org.upshot.engine.internal.job;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.event.Event;
import org.upshot.event.EventResult;
import org.upshot.process.ProcessExit;
import org.upshot.spi.source.EventSource;

/**
 * Everything that reaches the engine thread: one sealed family of messages on one
 * queue. Other threads (reaper, control server, sources, config watcher, timers) only
 * ever create these; the engine thread alone acts on them.
 */
sealed interface EngineInput {

    /** The reaper collected a process. */
    record ProcessExited(ProcessExit exit) implements EngineInput {}

    /** A traced child stopped itself with {@code signal} (expect stop). */
    record ProcessStopped(int pid, int signal) implements EngineInput {}

    /** An event to queue; {@code done} completes once it has been fully handled. */
    record EventEmitted(Event event, CompletableFuture<EventResult> done) implements EngineInput {}

    /** A control request or query to run on the engine thread. */
    record Request(Runnable action) implements EngineInput {}

    /** A job's kill timeout ran out. */
    record KillTimeout(Job job, int token) implements EngineInput {}

    /** Time to look again for a forking daemon's final pid. */
    record DaemonCheck(Job job, int parentPid) implements EngineInput {}

    /** An extension's readiness condition completed. */
    record ReadinessReached(Job job, int pid, Throwable error) implements EngineInput {}

    /**
     * Job definitions changed: add or replace {@code updated}, drop {@code removed};
     * with {@code complete}, {@code updated} is the whole set and anything else goes.
     */
    record ConfigChanged(Collection<JobClass> updated, Set<String> removed, boolean complete)
            implements EngineInput {}

    /** An event source arrived. */
    record SourceBound(EventSource source, String bundle) implements EngineInput {}

    /** An event source left. */
    record SourceUnbound(EventSource source) implements EngineInput {}
}
