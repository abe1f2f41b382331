package org.upshot.engine.internal.job;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.upshot.engine.internal.event.QueuedEvent;
import org.upshot.engine.internal.match.Condition;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.event.EventExpression;

/**
 * A loaded job definition in the registry with its live instances. A changed or
 * deleted definition waits here until its last instance has stopped: running
 * instances keep the definition they started with. Engine thread only.
 */
final class JobEntry {

    private JobClass jobClass;
    private Condition<QueuedEvent> startOn;
    private Condition<QueuedEvent> stopOn;
    /** A newer definition to switch to once no instance runs; null if none. */
    private JobClass replacement;
    private boolean deleted;
    private final Map<String, Job> instances = new LinkedHashMap<>();

    JobEntry(JobClass jobClass) {
        use(jobClass);
    }

    private void use(JobClass definition) {
        this.jobClass = definition;
        this.startOn = definition.fullStartOn().map(JobEntry::condition).orElse(null);
        this.stopOn = definition.fullStopOn().map(JobEntry::condition).orElse(null);
    }

    JobClass jobClass() {
        return jobClass;
    }

    Condition<QueuedEvent> startOn() {
        return startOn;
    }

    /** A fresh copy of the stop condition for a new instance, or null if the job has none. */
    Condition<QueuedEvent> newStopCondition() {
        return stopOn == null ? null : stopOn.copy();
    }

    private static Condition<QueuedEvent> condition(EventExpression expression) {
        return Condition.of(expression, QueuedEvent::event, QueuedEvent.HOLDER);
    }

    boolean deleted() {
        return deleted;
    }

    /** The live instance named {@code name}, or null. */
    Job instance(String name) {
        return instances.get(name);
    }

    Collection<Job> instances() {
        return Collections.unmodifiableCollection(instances.values());
    }

    void add(Job job) {
        instances.put(job.instance(), job);
    }

    /** Removes {@code job} if it is the live instance of its name; true if it was. */
    boolean remove(Job job) {
        return instances.remove(job.instance(), job);
    }

    boolean idle() {
        return instances.isEmpty();
    }

    /** Takes a new definition now if idle, else once the last instance stops. */
    void replace(JobClass definition) {
        deleted = false;
        if (instances.isEmpty()) {
            releaseStartOn();
            use(definition);
            replacement = null;
        } else {
            replacement = definition;
        }
    }

    void delete() {
        deleted = true;
        replacement = null;
    }

    /** The last instance stopped: apply a pending replacement; true if there was one. */
    boolean settle() {
        if (replacement == null || !instances.isEmpty()) {
            return false;
        }
        releaseStartOn();
        use(replacement);
        replacement = null;
        return true;
    }

    void releaseStartOn() {
        if (startOn != null) {
            startOn.reset();
        }
    }
}
