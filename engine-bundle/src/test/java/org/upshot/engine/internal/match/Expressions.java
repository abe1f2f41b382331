package org.upshot.engine.internal.match;

import java.util.ArrayList;
import java.util.List;
import org.upshot.event.EventExpression;
import org.upshot.event.EventExpression.Argument;

/**
 * Builds expressions from the records in tests, with a compact argument syntax:
 * {@code "eth*"} positional, {@code "KEY=PAT"}, {@code "KEY!=PAT"}.
 */
final class Expressions {

    private Expressions() {
    }

    static EventExpression.Match on(String event, String... arguments) {
        List<Argument> parsed = new ArrayList<>();
        for (String argument : arguments) {
            int eq = argument.indexOf('=');
            if (eq < 0) {
                parsed.add(Argument.positional(argument));
            } else if (eq > 0 && argument.charAt(eq - 1) == '!') {
                parsed.add(Argument.notEqual(argument.substring(0, eq - 1), argument.substring(eq + 1)));
            } else {
                parsed.add(Argument.equal(argument.substring(0, eq), argument.substring(eq + 1)));
            }
        }
        return new EventExpression.Match(event, parsed);
    }

    static EventExpression and(EventExpression left, EventExpression right) {
        return new EventExpression.And(left, right);
    }

    static EventExpression or(EventExpression left, EventExpression right) {
        return new EventExpression.Or(left, right);
    }
}
