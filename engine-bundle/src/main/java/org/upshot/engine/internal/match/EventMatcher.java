package org.upshot.engine.internal.match;

import java.util.List;
import org.upshot.event.Event;
import org.upshot.event.EventExpression;
import org.upshot.event.EventExpression.Argument;

/**
 * One {@link EventExpression.Match} compiled for matching events, as Upstart's
 * {@code event_operator_match} decides.
 *
 * <ul>
 *   <li>The event name must be equal (it is not a glob).</li>
 *   <li>Positional argument <i>i</i> is matched against the value of the event's
 *       <i>i</i>-th variable, whatever its name; an event with fewer variables does not
 *       match.</li>
 *   <li>{@code KEY=PATTERN} matches the first variable named {@code KEY} anywhere in
 *       the event; {@code KEY!=PATTERN} negates that, but an absent {@code KEY} never
 *       matches, with or without {@code !}.</li>
 *   <li>Patterns are {@code fnmatch} globs ({@link Glob}) after {@code $}-expansion
 *       ({@link Environ#expand}) against the environment given to {@link #matches(Event,
 *       List)}: a job instance's environment for {@code stop on}, none for {@code start
 *       on} (so there a plain {@code $VAR} never matches, as in Upstart 1.13). An
 *       expansion error is a quiet "no match".</li>
 * </ul>
 *
 * <p>Patterns without {@code $} are compiled once here. Immutable and thread-safe.
 */
public final class EventMatcher {

    private final EventExpression.Match match;
    private final Operand[] operands;
    private final String firstLiteral;

    private EventMatcher(EventExpression.Match match) {
        this.match = match;
        List<Argument> arguments = match.arguments();
        this.operands = new Operand[arguments.size()];
        for (int i = 0; i < operands.length; i++) {
            operands[i] = new Operand(arguments.get(i));
        }
        Operand first = operands.length == 0 ? null : operands[0];
        this.firstLiteral = first != null && first.key == null && first.glob != null ? first.glob.literal() : null;
    }

    /** Compiles one match. */
    public static EventMatcher compile(EventExpression.Match match) {
        return new EventMatcher(match);
    }

    /** The expression this matcher was compiled from. */
    public EventExpression.Match expression() {
        return match;
    }

    /** The event name this matcher accepts. */
    public String eventName() {
        return match.event();
    }

    /**
     * The text the event's first variable must equal, when the first argument is a
     * positional pattern without wildcards or {@code $} ({@code started apache} gives
     * {@code apache}); null otherwise. {@link EventIndex} uses it to narrow lookups.
     */
    public String firstPositionalLiteral() {
        return firstLiteral;
    }

    /** Matches with no environment, as {@code start on} is evaluated. */
    public boolean matches(Event event) {
        return matches(event, List.of());
    }

    /**
     * Whether {@code event} satisfies this match, expanding {@code $} references in
     * patterns against {@code env} ({@code KEY=VALUE} entries; may be empty).
     */
    public boolean matches(Event event, List<String> env) {
        if (!match.event().equals(event.name())) {
            return false;
        }
        List<String> variables = event.env();
        int position = 0;
        for (Operand operand : operands) {
            String entry;
            int valueStart;
            if (operand.key == null) {
                if (position >= variables.size()) {
                    return false;
                }
                entry = variables.get(position++);
                valueStart = entry.indexOf('=') + 1;
            } else {
                entry = find(variables, operand.key);
                if (entry == null) {
                    return false;
                }
                valueStart = operand.key.length() + 1;
            }
            Glob glob = operand.glob != null ? operand.glob : operand.expand(env);
            if (glob == null || glob.matches(entry, valueStart) == operand.negated) {
                return false;
            }
        }
        return true;
    }

    private static String find(List<String> variables, String key) {
        int length = key.length();
        for (int i = 0, n = variables.size(); i < n; i++) {
            String entry = variables.get(i);
            if (entry.length() > length && entry.charAt(length) == '=' && entry.startsWith(key)) {
                return entry;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return match.toString();
    }

    /** One argument; {@code glob} is null when the pattern must be expanded per match. */
    private static final class Operand {
        final String key;
        final boolean negated;
        final String pattern;
        final Glob glob;

        Operand(Argument argument) {
            this.key = argument.key();
            this.negated = argument.negated();
            this.pattern = argument.pattern();
            this.glob = pattern.indexOf('$') < 0 ? Glob.compile(pattern) : null;
        }

        Glob expand(List<String> env) {
            try {
                return Glob.compile(Environ.expand(pattern, env));
            } catch (ExpansionException e) {
                return null;
            }
        }
    }
}
