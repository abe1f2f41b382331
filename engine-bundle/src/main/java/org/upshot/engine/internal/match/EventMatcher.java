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
        this.discriminators = discriminatorsOf(operands, List.of());
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
     * What every matching event's variables must be, or begin with: for the first
     * positional argument ({@code started apache}) and each non-negated {@code KEY=}
     * argument ({@code socket PORT=80}), in argument order, an exact value when the
     * pattern is a literal, else the literal text before its first wildcard
     * ({@code FILE=/var/spool/x/*.req} begins with {@code /var/spool/x/}), if any.
     * Patterns with {@code $} fix nothing. {@link EventIndex} files the subscriber under
     * one of them to narrow lookups.
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
        return discriminatorsOf(operands, env);
    }

    /**
     * A requirement on one variable of the event: an exact value, or a non-empty prefix.
     *
     * @param key the variable name, or {@link #FIRST} for the value of the event's first
     *     variable whatever its name (a positional argument)
     * @param value the value it must have, or begin with
     * @param prefix whether {@code value} is only what the variable's value begins with
     */
    public record Discriminator(String key, String value, boolean prefix) {
        /** The key that stands for "the first variable" (event keys are never empty). */
        public static final String FIRST = "";

        /** The variable {@code key} must be exactly {@code value}. */
        public Discriminator(String key, String value) {
            this(key, value, false);
        }

        /** The variable {@code key} must begin with {@code value}. */
        public static Discriminator prefix(String key, String value) {
            return new Discriminator(key, value, true);
        }

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

    private static List<Discriminator> discriminatorsOf(Operand[] operands, List<String> env) {
        List<Discriminator> found = new ArrayList<>();
        for (int i = 0; i < operands.length; i++) {
            Operand operand = operands[i];
            String key = operand.key == null ? Discriminator.FIRST : operand.key;
            if ((operand.key == null && i > 0) || operand.negated) {
                continue;
            }
            Glob glob = operand.globWith(env);
            if (glob == null) {
                continue;
            }
            if (glob.isLiteral()) {
                found.add(new Discriminator(key, glob.literal()));
                continue;
            }
            String prefix = literalPrefix(glob.pattern());
            if (!prefix.isEmpty()) {
                found.add(Discriminator.prefix(key, prefix));
            }
        }
        return List.copyOf(found);
    }

    /**
     * The text before the first character {@code fnmatch} may treat specially, escapes
     * undone: every value the pattern matches begins with it. It stops at any {@code [},
     * even one glibc would take literally, so it can be short but never wrong.
     */
    private static String literalPrefix(String pattern) {
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?' || c == '[' || (c == '\\' && ++i == pattern.length())) {
                break;
            }
            prefix.append(pattern.charAt(i));
        }
        return prefix.toString();
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

        /**
         * The pattern compiled once {@code $} references are expanded against
         * {@code env}; null when there is one and {@code env} is empty, or the expansion fails.
         */
        Glob globWith(List<String> env) {
            if (glob != null) {
                return glob;
            }
            if (env.isEmpty()) {
                return null;
            }
            try {
                return Glob.compile(Environ.expand(pattern, env));
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
