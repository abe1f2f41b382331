package org.upshot.engine.internal.job;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import org.upshot.engine.internal.event.Blocked;
import org.upshot.engine.internal.event.EventQueue;
import org.upshot.engine.internal.event.QueuedEvent;
import org.upshot.engine.internal.match.Condition;
import org.upshot.engine.internal.match.Environ;
import org.upshot.event.EventDescriptor;
import org.upshot.event.RunPriority;
import org.upshot.job.JobGoal;
import org.upshot.job.JobState;

/**
 * Matches each event the queue handles against the jobs: the stop conditions of live
 * instances first, then the start conditions of definitions; a condition that becomes
 * true stops or starts its instance with the events that made it true blocked on it.
 * Last, a {@code starting A} event starts each job A {@code needs}, as if that job's
 * start condition had matched it (the stop direction is A's stop condition, which
 * {@link org.upshot.engine.internal.model.JobClass#fullStopOn} extends).
 * Engine thread only.
 */
final class EventMatching implements EventQueue.Handler {

    private static final Logger LOG = System.getLogger(EventMatching.class.getName());
    /** The job event that starts what a job {@code needs}. */
    private static final String NEEDS_EVENT = "starting";

    private final JobRegistry registry;
    private final JobEnvironment environment;

    EventMatching(JobRegistry registry, JobEnvironment environment) {
        this.registry = registry;
        this.environment = environment;
    }

    @Override
    public void handle(QueuedEvent event) {
        for (Job job : registry.stopSubscribers(event.event())) {
            Condition<QueuedEvent> condition = job.stopCondition();
            if (job.goal() == JobGoal.STOP || !condition.handle(event, job.env())) {
                continue;
            }
            List<String> stopEnv = new ArrayList<>();
            condition.addEnvironment(stopEnv, "UPSTART_STOP_EVENTS");
            // A job still in starting has run nothing yet, and its starting event may wait
            // for the very job whose stopping this is (a need that failed): holding that
            // event on this job would wait for ever, so it is not held.
            List<Blocked> causes = job.state() == JobState.STARTING && neededStops(job, condition.matchedEvents())
                    ? List.of() : blockAll(condition.matchedEvents());
            condition.reset();
            job.handle(new JobInput.Stop(stopEnv, causes));
        }
        if (registry.shuttingDown()) {
            return; // stopping every job: an event that arrives meanwhile starts none again
        }
        for (JobEntry entry : registry.startSubscribers(event.event())) {
            Condition<QueuedEvent> condition = entry.startOn();
            if (entry.deleted() || !condition.handle(event)) {
                continue;
            }
            List<QueuedEvent> matched = condition.matchedEvents();
            List<String> env = environment.forInstance(entry.jobClass());
            condition.addEnvironment(env, "UPSTART_EVENTS");
            try {
                Job job = registry.instanceFor(entry, JobEnvironment.instanceName(entry.jobClass(), env), env);
                if (job.goal() != JobGoal.START) {
                    job.handle(new JobInput.Start(env, blockAll(matched), descriptors(matched), priority(matched)));
                }
            } catch (JobEnvironment.UnknownParameter e) {
                LOG.log(Level.WARNING, entry.jobClass().name() + ": Unknown parameter: " + e.getMessage());
            }
            condition.reset();
        }
        if (event.name().equals(NEEDS_EVENT)) {
            startNeeds(event);
        }
    }

    /**
     * {@code starting A}: starts each job A needs that is not running, blocking the event
     * on it, so A stays in starting until they run; one that fails fails A's start.
     */
    private void startNeeds(QueuedEvent starting) {
        List<String> eventEnv = starting.event().env();
        JobEntry entry = registry.entry(Environ.lookup(eventEnv, "JOB").orElse(""));
        Job dependent = entry == null ? null : entry.instance(Environ.lookup(eventEnv, "INSTANCE").orElse(""));
        if (dependent == null || registry.shuttingDown()) {
            return;
        }
        for (String needed : dependent.jobClass().neededJobs()) {
            NeedWaiter waiter = new NeedWaiter(dependent, needed, starting);
            starting.block();
            JobEntry neededEntry = registry.entry(needed);
            if (neededEntry == null || neededEntry.deleted()) {
                LOG.log(Level.WARNING, dependent.displayName() + ": needed job " + needed + " is not loaded");
                waiter.release(true);
                continue;
            }
            List<String> env = environment.forInstance(neededEntry.jobClass());
            Environ.setAll(env, eventEnv);
            Environ.set(env, "UPSTART_EVENTS=" + starting.name());
            Job job;
            try {
                job = registry.instanceFor(neededEntry, JobEnvironment.instanceName(neededEntry.jobClass(), env), env);
            } catch (JobEnvironment.UnknownParameter e) {
                LOG.log(Level.WARNING, needed + ": Unknown parameter: " + e.getMessage());
                waiter.release(true);
                continue;
            }
            if (job.goal() == JobGoal.STOP) {
                job.handle(new JobInput.Start(env, List.of(waiter), starting.descriptors(), starting.priority()));
            } else if (job.state() != JobState.RUNNING) {
                // on its way up already: wait for it, keeping the run it was started for
                job.handle(new JobInput.Start(null, List.of(waiter), List.of(), RunPriority.NORMAL));
            } else {
                waiter.release(false); // running: nothing to do
            }
        }
    }

    /** True when each event is {@code stopping B} for a job B that {@code job} needs. */
    private static boolean neededStops(Job job, List<QueuedEvent> events) {
        List<String> needed = job.jobClass().neededJobs();
        return !needed.isEmpty() && events.stream().allMatch(e -> e.name().equals("stopping")
                && needed.contains(Environ.lookup(e.event().env(), "JOB").orElse("")));
    }

    /**
     * What a needed job's start holds: the dependent's {@code starting} event. Released
     * when the needed job comes to rest; a failure fails the dependent's run first.
     */
    private record NeedWaiter(Job dependent, String needed, QueuedEvent starting) implements Blocked {
        @Override
        public void release(boolean failed) {
            if (failed) {
                dependent.handle(new JobInput.NeedFailed(needed, starting));
            }
            starting.release(failed);
        }
    }

    /** Blocks each event on the job it is about to be handed to. */
    private static List<Blocked> blockAll(List<QueuedEvent> events) {
        for (QueuedEvent cause : events) {
            cause.block();
        }
        return List.copyOf(events);
    }

    /** Background only when every starting event asks for it: an ordinary event's run is never slowed. */
    private static RunPriority priority(List<QueuedEvent> events) {
        boolean background = events.stream().allMatch(cause -> cause.priority() == RunPriority.BACKGROUND);
        return background ? RunPriority.BACKGROUND : RunPriority.NORMAL;
    }

    private static List<EventDescriptor> descriptors(List<QueuedEvent> events) {
        List<EventDescriptor> all = new ArrayList<>();
        for (QueuedEvent cause : events) {
            all.addAll(cause.descriptors());
        }
        return all;
    }
}
