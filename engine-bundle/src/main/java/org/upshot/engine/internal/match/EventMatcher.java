package org.upshot.engine.internal.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.upshot.event.Event;
import org.upshot.event.EventExpression;
import org.upshot.event.EventExpression.Argument;
import org.upshot.event.Glob;

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
 * <p>Patterns without {@code $} are compiled once here; an expanded pattern without
 * wildcards is compared directly, and the last expanded glob is kept for the next call.
 * Thread-safe: the only mutable state is that one-entry cache, replaced whole.
 */
public final class EventMatcher {

    private final EventExpression.Match match;
    private final Operand[] operands;
    private final List<Discriminator> discriminators;

    private EventMatcher(EventExpression.Match match) {
        this.match = match;
        List<Argument> arguments = match.arguments();
        this.operands = new Operand[arguments.size()];
        for (int i = 0; i < operands.length; i++) {
            operands[i] = new Operand(arguments.get(i));
        }
        this.discriminators = discriminatorsOf(operands);
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
     * Variable values every matching event must have, one per argument that fixes one
     * exactly: the first positional argument if it is a literal ({@code started apache}),
     * then each non-negated {@code KEY=literal} ({@code socket PORT=80}), in argument
     * order. Patterns with wildcards or {@code $} fix nothing. {@link EventIndex} files
     * the subscriber under one of them to narrow lookups.
     */
    public List<Discriminator> discriminators() {
        return discriminators;
    }

    /**
     * {@link #discriminators()} once {@code $} references are expanded against
     * {@code env}: for a running instance's {@code stop on}, {@code stopping $JOB} or
     * {@code IFACE=$IFACE} fix a value too. A pattern that fails to expand fixes nothing.
     */
    public List<Discriminator> discriminators(List<String> env) {
        if (env.isEmpty() || Arrays.stream(operands).allMatch(operand -> operand.glob != null)) {
            return discriminators;
        }
        List<Discriminator> found = new ArrayList<>();
        for (int i = 0; i < operands.length; i++) {
            Operand operand = operands[i];
            String literal = operand.literalWith(env);
            if (literal == null) {
                continue;
            }
            if (operand.key == null && i == 0) {
                found.add(new Discriminator(Discriminator.FIRST, literal));
            } else if (operand.key != null && !operand.negated) {
                found.add(new Discriminator(operand.key, literal));
            }
        }
        return List.copyOf(found);
    }

    /**
     * An exact requirement on one variable of the event.
     *
     * @param key the variable name, or {@link #FIRST} for the value of the event's first
     *     variable whatever its name (a positional argument)
     * @param value the value it must have
     */
    public record Discriminator(String key, String value) {
        /** The key that stands for "the first variable" (event keys are never empty). */
        public static final String FIRST = "";

        /** The value {@code event} has for this key, or null. */
        public String valueIn(Event event) {
            return variable(event, key);
        }
    }

    /** The value of {@code event}'s variable {@code key} ({@link Discriminator#FIRST}: its first), or null. */
    static String variable(Event event, String key) {
        List<String> variables = event.env();
        if (key.isEmpty()) {
            if (variables.isEmpty()) {
                return null;
            }
            String first = variables.get(0);
            return first.substring(first.indexOf('=') + 1);
        }
        String entry = find(variables, key);
        return entry == null ? null : entry.substring(key.length() + 1);
    }

    private static List<Discriminator> discriminatorsOf(Operand[] operands) {
        List<Discriminator> found = new ArrayList<>();
        if (operands.length > 0 && operands[0].key == null && operands[0].literal() != null) {
            found.add(new Discriminator(Discriminator.FIRST, operands[0].literal()));
        }
        for (Operand operand : operands) {
            if (operand.key != null && !operand.negated && operand.literal() != null) {
                found.add(new Discriminator(operand.key, operand.literal()));
            }
        }
        return List.copyOf(found);
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
        return match.event().equals(event.name()) && matchesVariables(event, env);
    }

    /** {@link #matches(Event, List)} for an event whose name is known to be equal. */
    boolean matchesVariables(Event event, List<String> env) {
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
            if (!operand.satisfiedBy(entry, valueStart, env)) {
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
        /** NAME when the whole pattern is {@code $NAME} or {@code ${NAME}}, the usual stop-on form. */
        final String reference;
        /** The last expansion's glob; replaced whole, so a racing reader sees an old or new pair. */
        private Expanded lastExpanded;

        Operand(Argument argument) {
            this.key = argument.key();
            this.negated = argument.negated();
            this.pattern = argument.pattern();
            this.glob = pattern.indexOf('$') < 0 ? Glob.compile(pattern) : null;
            this.reference = referenceIn(pattern);
        }

        private static String referenceIn(String pattern) {
            String name = null;
            if (pattern.startsWith("${") && pattern.endsWith("}")) {
                name = pattern.substring(2, pattern.length() - 1);
            } else if (pattern.startsWith("$")) {
                name = pattern.substring(1);
            }
            if (name == null || name.isEmpty()) {
                return null;
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                    return null;
                }
            }
            return name;
        }

        /** The only value this pattern matches, or null if it has wildcards or {@code $}. */
        String literal() {
            return glob == null ? null : glob.literal();
        }

        /** The only value this pattern matches once expanded against {@code env}, or null. */
        String literalWith(List<String> env) {
            if (glob != null) {
                return glob.literal();
            }
            try {
                String text = Environ.expand(pattern, env);
                return Glob.hasWildcards(text) ? null : text;
            } catch (ExpansionException e) {
                return null;
            }
        }

        /** Whether the value at {@code entry[valueStart..]} satisfies this operand, negation included. */
        boolean satisfiedBy(String entry, int valueStart, List<String> env) {
            if (glob != null) {
                return glob.matches(entry, valueStart) != negated;
            }
            if (reference != null) {
                String source = find(env, reference);
                if (source == null) {
                    // Unknown variable: an expansion error, which is no match.
                    return false;
                }
                int from = reference.length() + 1;
                if (!Glob.hasWildcards(source, from)) {
                    // Compare the two values in place: no expansion, no compile.
                    int length = source.length() - from;
                    boolean equal = entry.length() - valueStart == length
                            && entry.regionMatches(valueStart, source, from, length);
                    return equal != negated;
                }
                return expanded(source.substring(from)).matches(entry, valueStart) != negated;
            }
            String text;
            try {
                text = Environ.expand(pattern, env);
            } catch (ExpansionException e) {
                return false;
            }
            return expanded(text).matches(entry, valueStart) != negated;
        }

        private Glob expanded(String text) {
            Expanded cached = lastExpanded;
            if (cached == null || !cached.text.equals(text)) {
                cached = new Expanded(text, Glob.compile(text));
                lastExpanded = cached;
            }
            return cached.glob;
        }
    }

    private record Expanded(String text, Glob glob) {
    }
}
