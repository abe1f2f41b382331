package org.upshot.engine.internal.job;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.upshot.engine.internal.event.QueuedEvent;
import org.upshot.engine.internal.match.Condition;
import org.upshot.engine.internal.model.ExtensionStanza;
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
    final Map<String, Job> instances = new LinkedHashMap<>();

    JobEntry(JobClass jobClass) {
        use(jobClass);
    }

    private void use(JobClass definition) {
        this.jobClass = definition;
        this.startOn = startExpression(definition).map(JobEntry::condition).orElse(null);
        this.stopOn = stopExpression(definition).map(JobEntry::condition).orElse(null);
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

    /** The last instance stopped: apply a pending replacement. */
    void idle() {
        if (replacement != null && instances.isEmpty()) {
            releaseStartOn();
            use(replacement);
            replacement = null;
        }
    }

    void releaseStartOn() {
        if (startOn != null) {
            startOn.reset();
        }
    }

    /** {@code start on} or-ed with every extension stanza's start condition. */
    static Optional<EventExpression> startExpression(JobClass definition) {
        Optional<EventExpression> out = definition.startOn();
        for (ExtensionStanza stanza : definition.extensions()) {
            out = or(out, stanza.contribution().startOn());
        }
        return out;
    }

    /** {@code stop on} or-ed with every extension stanza's stop condition. */
    static Optional<EventExpression> stopExpression(JobClass definition) {
        Optional<EventExpression> out = definition.stopOn();
        for (ExtensionStanza stanza : definition.extensions()) {
            out = or(out, stanza.contribution().stopOn());
        }
        return out;
    }

    private static Optional<EventExpression> or(Optional<EventExpression> a, Optional<EventExpression> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() ? a : Optional.of(new EventExpression.Or(a.get(), b.get()));
    }
}
