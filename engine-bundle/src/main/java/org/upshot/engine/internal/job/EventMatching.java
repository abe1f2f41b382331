package org.upshot.engine.internal.job;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import org.upshot.engine.internal.event.Blocked;
import org.upshot.engine.internal.event.EventQueue;
import org.upshot.engine.internal.event.QueuedEvent;
import org.upshot.engine.internal.match.Condition;
import org.upshot.event.EventDescriptor;
import org.upshot.job.JobGoal;

/**
 * Matches each event the queue handles against the jobs: the stop conditions of live
 * instances first, then the start conditions of definitions; a condition that becomes
 * true stops or starts its instance with the events that made it true blocked on it.
 * Engine thread only.
 */
final class EventMatching implements EventQueue.Handler {

    private static final Logger LOG = System.getLogger(EventMatching.class.getName());

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
            List<Blocked> causes = blockAll(condition.matchedEvents());
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
                    job.handle(new JobInput.Start(env, blockAll(matched), descriptors(matched)));
                }
            } catch (JobEnvironment.UnknownParameter e) {
                LOG.log(Level.WARNING, entry.jobClass().name() + ": Unknown parameter: " + e.getMessage());
            }
            condition.reset();
        }
    }

    /** Blocks each event on the job it is about to be handed to. */
    private static List<Blocked> blockAll(List<QueuedEvent> events) {
        for (QueuedEvent cause : events) {
            cause.block();
        }
        return List.copyOf(events);
    }

    private static List<EventDescriptor> descriptors(List<QueuedEvent> events) {
        List<EventDescriptor> all = new ArrayList<>();
        for (QueuedEvent cause : events) {
            all.addAll(cause.descriptors());
        }
        return all;
    }
}
