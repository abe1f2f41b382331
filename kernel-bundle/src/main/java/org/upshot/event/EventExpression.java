package org.upshot.event;

import java.util.List;
import java.util.Objects;

/**
 * The condition of a {@code start on} or {@code stop on} stanza, as an operator tree.
 *
 * <p>Upstart's grammar has one precedence level and is left-associative:
 * {@code a or b and c} is {@code ((a or b) and c)}. {@link #toString()} prints the
 * fully bracketed form that {@code show-config} shows. Evaluation (glob matching,
 * {@code $VAR} expansion, held events) is the engine's business, not this tree's.
 */
public sealed interface EventExpression {

    /**
     * Every event match in the tree, left to right, whatever joins them: what a source
     * reads to learn which of its events a condition waits for.
     */
    default List<Match> matches() {
        List<Match> all = new java.util.ArrayList<>();
        java.util.Deque<EventExpression> pending = new java.util.ArrayDeque<>(List.of(this));
        while (!pending.isEmpty()) {
            EventExpression node = pending.pop();
            if (node instanceof Or or) {
                pending.push(or.right());
                pending.push(or.left());
            } else if (node instanceof And and) {
                pending.push(and.right());
                pending.push(and.left());
            } else {
                all.add((Match) node);
            }
        }
        return all;
    }

    /** Either side true. */
    record Or(EventExpression left, EventExpression right) implements EventExpression {
        public Or {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }

        @Override
        public String toString() {
            return "(" + left + " or " + right + ")";
        }
    }

    /** Both sides true, by events that happened since the job last started. */
    record And(EventExpression left, EventExpression right) implements EventExpression {
        public And {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }

        @Override
        public String toString() {
            return "(" + left + " and " + right + ")";
        }
    }

    /** One event name and the arguments its environment must match. */
    record Match(String event, List<Argument> arguments) implements EventExpression {
        public Match {
            Objects.requireNonNull(event, "event");
            arguments = List.copyOf(arguments);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(event);
            for (Argument argument : arguments) {
                text.append(' ').append(argument);
            }
            return text.toString();
        }
    }

    /**
     * One argument of a match.
     *
     * @param key the variable name, or {@code null} for a positional argument
     * @param negated {@code KEY!=PATTERN}
     * @param pattern a shell glob, possibly holding {@code $VAR} references
     */
    record Argument(String key, boolean negated, String pattern) {
        public Argument {
            Objects.requireNonNull(pattern, "pattern");
            if (key == null && negated) {
                throw new IllegalArgumentException("a positional argument cannot be negated");
            }
        }

        /** A positional argument. */
        public static Argument positional(String pattern) {
            return new Argument(null, false, pattern);
        }

        /** A {@code KEY=PATTERN} argument. */
        public static Argument equal(String key, String pattern) {
            return new Argument(key, false, pattern);
        }

        /** A {@code KEY!=PATTERN} argument. */
        public static Argument notEqual(String key, String pattern) {
            return new Argument(key, true, pattern);
        }

        public boolean isPositional() {
            return key == null;
        }

        @Override
        public String toString() {
            return key == null ? pattern : key + (negated ? "!=" : "=") + pattern;
        }
    }
}
