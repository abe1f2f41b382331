package org.upshot.source.files.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.upshot.event.EventExpression;

/**
 * One {@code file} match the engine understands: {@code file FILE=PATH [EVENT=KIND]}.
 *
 * @param file the {@code FILE=} value
 * @param event the {@code EVENT=} value; empty matches every kind
 */
public record FileCondition(String file, Optional<FileEventKind> event) {

    /** The event name this source emits and jobs match on. */
    public static final String EVENT_NAME = "file";

    public FileCondition {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(event, "event");
    }

    /** The match as it would appear in a {@code start on} line. */
    public EventExpression.Match toMatch() {
        List<EventExpression.Argument> arguments = new ArrayList<>();
        arguments.add(EventExpression.Argument.equal("FILE", file));
        event.ifPresent(kind -> arguments.add(EventExpression.Argument.equal("EVENT", kind.label())));
        return new EventExpression.Match(EVENT_NAME, arguments);
    }

    /** The conditions joined with {@code or}, left-associated as the parser would. */
    public static EventExpression anyOf(List<FileCondition> conditions) {
        EventExpression joined = conditions.get(0).toMatch();
        for (FileCondition condition : conditions.subList(1, conditions.size())) {
            joined = new EventExpression.Or(joined, condition.toMatch());
        }
        return joined;
    }
}
