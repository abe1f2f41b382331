package org.upshot.engine.internal.job;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.upshot.engine.internal.event.Blocked;
import org.upshot.engine.internal.event.QueuedEvent;
import org.upshot.event.EventDescriptor;
import org.upshot.event.RunPriority;
import org.upshot.job.ProcessKind;
import org.upshot.process.ProcessExit;

/**
 * Everything that reaches one {@link Job}: one sealed family, handled in one place
 * ({@link Job#handle}). A new input is a new record here and a new {@link Receiver}
 * method, which the job must then implement: nothing reaches a job any other way.
 * Engine thread only.
 */
sealed interface JobInput {

    /** Hands this input to the receiver's method for its type. */
    void sendTo(Receiver receiver);

    /** One method per input type: the job's handlers. */
    interface Receiver {
        void start(Start input);

        void stop(Stop input);

        void restart(Restart input);

        void spawned(Spawned input);

        void spawnFailed(SpawnFailed input);

        void processExited(ProcessExited input);

        void processStopped(ProcessStopped input);

        void daemonFound(DaemonFound input);

        void launcherExited(LauncherExited input);

        void ready(Ready input);

        void killTimeout(KillTimeout input);

        void startTimeout(StartTimeout input);

        void eventFinished(EventFinished input);

        void needFailed(NeedFailed input);

        void mainMoved(MainMoved input);

        void abort(Abort input);

        void extendTimeout(ExtendTimeout input);

        void leftoversCheck(LeftoversCheck input);
    }

    /**
     * Goal start, from an event or a request.
     *
     * @param env the environment of the new run (null: keep the current one)
     * @param waiters what waits for the instance to come to rest (the events that
     *     started it, already blocked on; a waiting request)
     * @param descriptors what the starting events carry for the main process
     * @param priority how the processes of the new run are scheduled
     */
    record Start(List<String> env, List<Blocked> waiters, List<EventDescriptor> descriptors, RunPriority priority)
            implements JobInput {
        public Start {
            env = env == null ? null : List.copyOf(env);
            waiters = List.copyOf(waiters);
            descriptors = List.copyOf(descriptors);
        }

        @Override
        public void sendTo(Receiver receiver) {
            receiver.start(this);
        }
    }

    /**
     * Goal stop, from an event or a request.
     *
     * @param stopEnv the environment pre-stop and post-stop see
     * @param waiters what waits for the instance to come to rest
     */
    record Stop(List<String> stopEnv, List<Blocked> waiters) implements JobInput {
        public Stop {
            stopEnv = List.copyOf(stopEnv);
            waiters = List.copyOf(waiters);
        }

        @Override
        public void sendTo(Receiver receiver) {
            receiver.stop(this);
        }
    }

    /** Goal stop, then start again with the same environment ({@code initctl restart}). */
    record Restart(List<Blocked> waiters) implements JobInput {
        public Restart {
            waiters = List.copyOf(waiters);
        }

        @Override
        public void sendTo(Receiver receiver) {
            receiver.restart(this);
        }
    }

    /** The process of {@code kind} the job asked for runs as {@code pid}; its exit comes later. */
    record Spawned(ProcessKind kind, int pid) implements JobInput {
        public Spawned {
            Objects.requireNonNull(kind, "kind");
        }

        @Override
        public void sendTo(Receiver receiver) {
            receiver.spawned(this);
        }
    }

    /** The process of {@code kind} the job asked for could not be started. */
    record SpawnFailed(ProcessKind kind, Exception error) implements JobInput {
        public SpawnFailed {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(error, "error");
        }

        @Override
        public void sendTo(Receiver receiver) {
            receiver.spawnFailed(this);
        }
    }

    /** One of the job's processes was reaped. */
    record ProcessExited(ProcessKind kind, ProcessExit exit) implements JobInput {
        public ProcessExited {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(exit, "exit");
        }

        @Override
        public void sendTo(Receiver receiver) {
            receiver.processExited(this);
        }
    }

    /** A child stopped itself with {@code signal} ({@code expect stop}). */
    record ProcessStopped(int pid, int signal) implements JobInput {
        @Override
        public void sendTo(Receiver receiver) {
            receiver.processStopped(this);
        }
    }

    /** A forking daemon's final process is known ({@code expect fork|daemon}). */
    /**
     * The first process of a forking daemon ({@code pid}) exited as it should while the
     * daemon is looked for: it is no longer the instance's process to show or to signal.
     */
    record LauncherExited(int pid) implements JobInput {
        @Override
        public void sendTo(Receiver receiver) {
            receiver.launcherExited(this);
        }
    }

    record DaemonFound(int pid) implements JobInput {
        @Override
        public void sendTo(Receiver receiver) {
            receiver.daemonFound(this);
        }
    }

    /**
     * An extension's readiness condition completed for the main process {@code pid}.
     *
     * @param mainPid the process to supervise from now on (usually {@code pid})
     * @param error why it never will be ready; null when ready
     */
    record Ready(int pid, int mainPid, Throwable error) implements JobInput {
        @Override
        public void sendTo(Receiver receiver) {
            receiver.ready(this);
        }
    }

    /** The instance's daemon says its main process is now {@code newPid}, no longer {@code oldPid}. */
    record MainMoved(int oldPid, int newPid) implements JobInput {
        @Override
        public void sendTo(Receiver receiver) {
            receiver.mainMoved(this);
        }
    }

    /**
     * A source ends the main process {@code pid} with SIGABRT: the run fails as
     * {@code PROCESS=<process>} (a missed watchdog ping).
     */
    record Abort(int pid, String process) implements JobInput {
        public Abort {
            Objects.requireNonNull(process, "process");
        }

        @Override
        public void sendTo(Receiver receiver) {
            receiver.abort(this);
        }
    }

    /** The daemon (main process {@code pid}) asks for {@code extension} more in its current phase. */
    record ExtendTimeout(int pid, Duration extension) implements JobInput {
        public ExtendTimeout {
            Objects.requireNonNull(extension, "extension");
        }

        @Override
        public void sendTo(Receiver receiver) {
            receiver.extendTimeout(this);
        }
    }

    /** Time to look whether the processes a stop is ending are all gone. */
    record LeftoversCheck() implements JobInput {
        @Override
        public void sendTo(Receiver receiver) {
            receiver.leftoversCheck(this);
        }
    }

    /** The start timeout of the spawn numbered {@code token} ran out. */
    record StartTimeout(int token) implements JobInput {
        @Override
        public void sendTo(Receiver receiver) {
            receiver.startTimeout(this);
        }
    }

    /** The kill timeout of the kill numbered {@code token} ran out. */
    record KillTimeout(int token) implements JobInput {
        @Override
        public void sendTo(Receiver receiver) {
            receiver.killTimeout(this);
        }
    }

    /** A job event the instance waits on ({@code starting}, {@code stopping}) finished. */
    record EventFinished(QueuedEvent event) implements JobInput {
        public EventFinished {
            Objects.requireNonNull(event, "event");
        }

        @Override
        public void sendTo(Receiver receiver) {
            receiver.eventFinished(this);
        }
    }

    /**
     * A job this one {@code needs}, started by its {@code starting} event, failed to start
     * (or is not loaded): this run fails with {@code PROCESS=needs}.
     *
     * @param job the needed job's name
     * @param starting the {@code starting} event that asked for it: a later run ignores it
     */
    record NeedFailed(String job, QueuedEvent starting) implements JobInput {
        public NeedFailed {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(starting, "starting");
        }

        @Override
        public void sendTo(Receiver receiver) {
            receiver.needFailed(this);
        }
    }
}
