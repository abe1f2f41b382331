package org.upshot.engine.internal.tools;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.upshot.engine.internal.event.EngineEvents;
import org.upshot.event.EventExpression;
import org.upshot.event.Glob;

/**
 * Finds the {@code start on}/{@code stop on} operands that can never be met: an event
 * nothing emits (no job's {@code emits}, no engine event, no plugin's declaration) or a
 * job event naming a job that does not exist. Shared by the offline {@code check-config}
 * and the daemon's, so both give the same advice.
 */
public final class EventCoverage {

    private static final Set<String> JOB_EVENTS = Set.of("starting", "started", "stopping", "stopped");
    private static final String FAILED = "/failed";

    private final Set<String> jobNames;
    private final List<Glob> emitted = new ArrayList<>();

    /**
     * @param jobNames every loaded job's name
     * @param emitted event names (globs) known to be emitted: every job's {@code emits},
     *     the plugins' declared events, and any the caller was told to ignore; the
     *     engine's own ({@link EngineEvents}) are added here
     */
    public EventCoverage(Collection<String> jobNames, Collection<String> emitted) {
        this.jobNames = Set.copyOf(jobNames);
        emitted.forEach(pattern -> this.emitted.add(Glob.compile(pattern)));
        EngineEvents.NAMES.forEach(name -> this.emitted.add(Glob.compile(name)));
    }

    /**
     * The problems of one condition, in operand order, each as
     * {@code STANZA: unknown event NAME} or {@code STANZA: unknown job NAME}.
     *
     * @param stanza {@code start on} or {@code stop on}
     */
    public List<String> problems(String stanza, EventExpression expression) {
        Set<String> problems = new LinkedHashSet<>();
        collect(expression, stanza, problems);
        return List.copyOf(problems);
    }

    private void collect(EventExpression expression, String stanza, Set<String> problems) {
        for (EventExpression.Match match : expression.matches()) {
            String event = match.event();
            // NAME/failed follows NAME whenever a job it started fails
            String base = event.endsWith(FAILED) ? event.substring(0, event.length() - FAILED.length()) : event;
            if (emitted.stream().noneMatch(glob -> glob.matches(base))) {
                problems.add(stanza + ": unknown event " + event);
            }
            if (JOB_EVENTS.contains(event)) {
                jobArgument(match).filter(job -> !isPattern(job) && !jobNames.contains(job))
                        .ifPresent(job -> problems.add(stanza + ": unknown job " + job));
            }
        }
    }

    /** The job a job event names: its first positional value or its {@code JOB=} value. */
    private static Optional<String> jobArgument(EventExpression.Match match) {
        for (EventExpression.Argument argument : match.arguments()) {
            if (argument.isPositional() || ("JOB".equals(argument.key()) && !argument.negated())) {
                return Optional.of(argument.pattern());
            }
        }
        return Optional.empty();
    }

    private static boolean isPattern(String value) {
        return value.chars().anyMatch(c -> "*?[$".indexOf(c) >= 0);
    }
}
