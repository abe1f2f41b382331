package org.upshot.engine.internal.api;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.upshot.engine.internal.journal.Journal;
import org.upshot.event.Event;
import org.upshot.event.EventResult;
import org.upshot.job.InstanceView;
import org.upshot.job.JobView;

/**
 * The engine as the control server sees it. Implemented by the engine; every call
 * is thread-safe and returns at once. Failures complete the stage exceptionally
 * with a {@link ControlException}.
 */
public interface JobControl {

    /**
     * Sets the goal of the instance named by {@code env} (through {@code instance}) to
     * start. With {@code wait}, completes when it is at rest: a service running, a task
     * finished.
     */
    CompletionStage<InstanceView> start(String job, List<String> env, boolean wait);

    /** Sets the goal to stop; with {@code wait}, completes once it is waiting. */
    CompletionStage<InstanceView> stop(String job, List<String> env, boolean wait);

    /** Stops and starts an existing instance with its own environment. */
    CompletionStage<InstanceView> restart(String job, List<String> env, boolean wait);

    /** Sends the job's {@code reload signal} to its main process. */
    CompletionStage<InstanceView> reload(String job, List<String> env);

    /** One job's current view, every instance in it. */
    default CompletionStage<JobView> status(String job) {
        return status(job, List.of());
    }

    /**
     * One job's current view. With {@code env} empty it holds every instance; otherwise
     * only the instance {@code env} names (expanded through {@code instance} as
     * {@link #stop} does), failing with {@code UNKNOWN_INSTANCE} if there is none and
     * {@code BAD_ARGUMENT} if the name cannot be expanded.
     */
    CompletionStage<JobView> status(String job, List<String> env);

    /** Every loaded job's current view, sorted by name. */
    CompletionStage<List<JobView>> list();

    /**
     * What {@code show-config} reports of each definition: every loaded job sorted by
     * name when {@code job} is empty, else that one job ({@code UNKNOWN_JOB} if none).
     */
    CompletionStage<List<Definition>> definitions(String job);

    /**
     * One loaded definition as tools see it.
     *
     * @param view the job's view (conditions, emits, extension stanzas, instances)
     * @param needs the jobs its {@code needs} stanzas name, in file order, each once
     * @param instance how instances are named, unexpanded ({@code $PORT}); empty for a singleton
     */
    record Definition(JobView view, List<String> needs, String instance) {
        public Definition {
            needs = List.copyOf(needs);
        }
    }

    /**
     * The lines the event sources show under {@code job} ({@code notes} in the protocol):
     * each source's lines in order, sources in name order; empty for none or for an
     * unknown job. Any thread; answers at once.
     */
    List<String> notes(String job);

    /** Queues an event; with {@code wait}, completes once it has been fully handled. */
    CompletionStage<EventResult> emit(Event event, boolean wait);

    /**
     * The events that exist without any job declaring them: the engine's own and those
     * the installed plugins declare (names or globs). Any thread; answers at once.
     */
    List<String> emittedEvents();

    /**
     * Every job file that does not parse as it stands, as {@code file:line:column: message}
     * lines. Any thread; answers at once.
     */
    List<String> fileProblems();

    /** Rescans the configuration directories. */
    CompletionStage<Void> reloadConfiguration();

    /**
     * Follows every event the engine handles from now on, rendered as
     * {@code name KEY=VALUE...}. The consumer runs on the engine thread and must not block.
     *
     * @return a handle that stops the subscription when run
     */
    Runnable subscribe(Consumer<Event> events);

    /**
     * The job-environment table that {@code set-env}/{@code get-env}/... act on: the
     * global one when {@code job} is empty, else that instance's.
     */
    CompletionStage<List<String>> environment(EnvironmentOperation operation, String job,
            String instance, List<String> arguments);

    /** The bound event sources, whether each runs, and its event counters. */
    CompletionStage<List<SourceStatus>> sources();

    /** What the engine's journal holds now: the boot's entries and the latest ones. */
    CompletionStage<Journal.Snapshot> journal();

    /**
     * Begins shutting the system down ({@code initctl reboot|halt|poweroff}): the runlevel
     * event, every job stopped, then the machine reset, halted or powered off (or, as the
     * init of a namespace, the namespace ended). Completes once it has begun; fails with
     * {@link ControlException.Reason#FAILED} if a shutdown is already under way.
     */
    CompletionStage<Void> shutdown(PowerAction action);

    /**
     * Replaces the daemon's program in place ({@code initctl reexec}), keeping every job:
     * completes just before the exec, once every instance is at rest; fails with
     * {@link ControlException.Reason#FAILED} if that does not happen in time.
     */
    CompletionStage<Void> reexec();

    /** What the end of a shutdown asks of the kernel. */
    enum PowerAction { REBOOT, HALT, POWEROFF }

    /** The operations of Upstart's {@code initctl *-env} family. */
    enum EnvironmentOperation { SET, SET_RETAIN, GET, UNSET, LIST, RESET }
}
