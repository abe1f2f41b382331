package org.upshot.source.udev.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.upshot.event.EventExpression;
import org.upshot.event.Glob;
import org.upshot.job.JobView;

/**
 * Which device events some job waits for, judged in the source's own thread so that a
 * storm of uevents nobody asked for never reaches the engine. Built from every
 * {@code start on} and {@code stop on} match on a {@code *-device-*} event; an argument the
 * source cannot judge alone (one naming {@code $VAR}, a negation, a positional one) lets
 * everything through, and the engine decides.
 */
public final class DeviceFilter {

    /** One match: the event name's glob and the {@code KEY=GLOB} arguments that must hold. */
    private record Wanted(Glob name, List<String> keys, List<Glob> values) {
        boolean matches(String event, java.util.Map<String, String> env) {
            if (!name.matches(event)) {
                return false;
            }
            for (int i = 0; i < keys.size(); i++) {
                String value = env.get(keys.get(i));
                if (value == null || !values.get(i).matches(value)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Wanted> wanted;
    /** The jobs that wait for a device event, for status lines. */
    private final List<String> jobs;

    private DeviceFilter(List<Wanted> wanted, List<String> jobs) {
        this.wanted = wanted;
        this.jobs = jobs;
    }

    /** Nothing is wanted. */
    public static DeviceFilter none() {
        return new DeviceFilter(List.of(), List.of());
    }

    /** What {@code jobs} wait for. */
    public static DeviceFilter of(Collection<JobView> jobs) {
        List<Wanted> wanted = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (JobView job : jobs) {
            int before = wanted.size();
            job.startOn().ifPresent(condition -> collect(condition, wanted));
            job.stopOn().ifPresent(condition -> collect(condition, wanted));
            if (wanted.size() > before) {
                waiting.add(job.name());
            }
        }
        return new DeviceFilter(List.copyOf(wanted), List.copyOf(waiting));
    }

    private static void collect(EventExpression condition, List<Wanted> into) {
        for (EventExpression.Match match : condition.matches()) {
            boolean expanded = match.event().contains("$");
            if (!match.event().contains("-device-") && !expanded) {
                continue;
            }
            List<String> keys = new ArrayList<>();
            List<Glob> values = new ArrayList<>();
            for (EventExpression.Argument argument : match.arguments()) {
                if (argument.key() != null && !argument.negated() && !argument.pattern().contains("$")) {
                    keys.add(argument.key());
                    values.add(Glob.compile(argument.pattern()));
                }
            }
            // a name made from $VAR is the engine's to judge: any device event may be it
            into.add(new Wanted(Glob.compile(expanded ? "*" : match.event()), keys, values));
        }
    }

    /** Whether some job could react to {@code event}. */
    public boolean wants(Uevent event) {
        if (wanted.isEmpty()) {
            return false;
        }
        String name = event.eventName();
        java.util.Map<String, String> env = event.variables();
        for (Wanted one : wanted) {
            if (one.matches(name, env)) {
                return true;
            }
        }
        return false;
    }

    /** The jobs that wait for a device event. */
    public List<String> jobs() {
        return jobs;
    }
}
