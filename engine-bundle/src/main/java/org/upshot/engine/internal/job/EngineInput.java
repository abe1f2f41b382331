package org.upshot.engine.internal.job;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.event.Event;
import org.upshot.event.EventDescriptor;
import org.upshot.event.EventResult;
import org.upshot.event.RunPriority;
import org.upshot.job.ProcessKind;
import org.upshot.process.ProcessExit;
import org.upshot.spi.source.EventSource;

/**
 * Everything that reaches the engine thread: one sealed family of messages on one
 * queue. Other threads (reaper, control server, sources, config watcher, timers) only
 * ever create these; the engine thread alone acts on them, each through its
 * {@link Handler} method, so a new message that nobody handles does not compile.
 */
sealed interface EngineInput {

    /** Hands this message to the handler's method for its type. */
    void deliver(Handler handler);

    /** One method per message type. */
    interface Handler {
        void processExited(ProcessExit exit);

        void processStopped(int pid, int signal);

        void spawnFinished(SpawnFinished finished);

        void eventEmitted(EventEmitted emitted);

        void request(Runnable action);

        void toJob(Job job, JobInput input);

        void daemonCheck(Job job, int parentPid);

        void configChanged(ConfigChanged changed);

        void sourceBound(EventSource source, SourceHost.Identity identity);

        void sourceUnbound(EventSource source);
    }

    /** The reaper collected a process. */
    record ProcessExited(ProcessExit exit) implements EngineInput {
        @Override
        public void deliver(Handler handler) {
            handler.processExited(exit);
        }
    }

    /** A child stopped itself with {@code signal} (expect stop). */
    record ProcessStopped(int pid, int signal) implements EngineInput {
        @Override
        public void deliver(Handler handler) {
            handler.processStopped(pid, signal);
        }
    }

    /**
     * A spawn handed to the {@link SpawnPool} is over: {@code pid} runs, or it failed with
     * {@code error} (a {@link org.upshot.process.PosixException} or an unexpected failure).
     */
    record SpawnFinished(Job job, ProcessKind kind, int pid, Exception error) implements EngineInput {
        @Override
        public void deliver(Handler handler) {
            handler.spawnFinished(this);
        }
    }

    /** An event to queue; {@code done} completes once it has been fully handled. */
    record EventEmitted(Event event, List<EventDescriptor> descriptors, RunPriority priority,
            CompletableFuture<EventResult> done) implements EngineInput {
        public EventEmitted {
            descriptors = List.copyOf(descriptors);
        }

        @Override
        public void deliver(Handler handler) {
            handler.eventEmitted(this);
        }
    }

    /** A control request or query to run on the engine thread. */
    record Request(Runnable action) implements EngineInput {
        @Override
        public void deliver(Handler handler) {
            handler.request(action);
        }
    }

    /** An input for one job from another thread (a timer, a readiness stage). */
    record ToJob(Job job, JobInput input) implements EngineInput {
        @Override
        public void deliver(Handler handler) {
            handler.toJob(job, input);
        }
    }

    /** Time to look again for a forking daemon's final pid. */
    record DaemonCheck(Job job, int parentPid) implements EngineInput {
        @Override
        public void deliver(Handler handler) {
            handler.daemonCheck(job, parentPid);
        }
    }

    /**
     * Job definitions changed: add or replace {@code updated}, drop {@code removed};
     * with {@code complete}, {@code updated} is the whole set and anything else goes.
     */
    record ConfigChanged(Collection<JobClass> updated, Set<String> removed, boolean complete)
            implements EngineInput {
        @Override
        public void deliver(Handler handler) {
            handler.configChanged(this);
        }
    }

    /** An event source arrived. */
    record SourceBound(EventSource source, SourceHost.Identity identity) implements EngineInput {
        @Override
        public void deliver(Handler handler) {
            handler.sourceBound(source, identity);
        }
    }

    /** An event source left. */
    record SourceUnbound(EventSource source) implements EngineInput {
        @Override
        public void deliver(Handler handler) {
            handler.sourceUnbound(source);
        }
    }
}
