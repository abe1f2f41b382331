package org.upshot.engine.internal.parse;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One problem found in a job file, rendered the way compilers and editors expect:
 * {@code file:line:column: message}.
 *
 * @param file the file the problem is in
 * @param line 1-based line of the offending word
 * @param column 1-based column (in characters, a tab counting as one) of the offending word
 * @param kind what went wrong; decides whether the file still loads
 * @param message the rendered message, naming the offending word
 */
public record Diagnostic(Path file, int line, int column, Kind kind, String message) {

    public Diagnostic {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /** A diagnostic whose message is {@code kind}'s template filled with {@code words}. */
    public static Diagnostic of(Path file, int line, int column, Kind kind, Object... words) {
        return new Diagnostic(file, line, column, kind, kind.format(words));
    }

    /** True unless this is only a warning (the file still loads). */
    public boolean isError() {
        return kind.isError();
    }

    /** {@code file:line:column: message}. */
    public String render() {
        return file + ":" + line + ":" + column + ": " + message;
    }

    @Override
    public String toString() {
        return render();
    }

    /** Every kind of problem, each with its message template ({@link String#format} style). */
    public enum Kind {
        UNKNOWN_STANZA("unknown stanza '%s'"),
        UNKNOWN_ARGUMENT("unknown argument '%s' to '%s'"),
        EXPECTED_TOKEN("'%s' needs %s"),
        UNEXPECTED_TOKEN("unexpected '%s' after '%s'"),
        UNTERMINATED_QUOTE("unterminated quoted string %s"),
        UNTERMINATED_BLOCK("'%s' has no matching 'end script'"),
        ILLEGAL_INTERVAL("illegal respawn limit '%s': expected a non-negative integer"),
        ILLEGAL_EXIT_STATUS("illegal exit status '%s': expected 0-255 or a signal name"),
        ILLEGAL_UMASK("illegal file creation mask '%s': expected octal 0-0777"),
        ILLEGAL_NICE("illegal nice value '%s': expected -20 to 19"),
        ILLEGAL_OOM("illegal oom score '%s': expected %s or 'never'"),
        ILLEGAL_LIMIT("illegal limit '%s': expected a non-negative integer or 'unlimited'"),
        UNKNOWN_RESOURCE("unknown resource '%s' for 'limit'"),
        ILLEGAL_SIGNAL("illegal signal '%s'"),
        ILLEGAL_TIMEOUT("illegal kill timeout '%s': expected a non-negative integer"),
        ILLEGAL_START_TIMEOUT("illegal start timeout '%s': expected seconds (30, 30s, 2m), 0 for none"),
        EXPECTED_EVENT("expected an event, found %s"),
        EXPECTED_OPERATOR("expected operator 'and' or 'or', found %s"),
        MISMATCHED_PARENTHESES("mismatched parenthesis '%s'"),
        EXPECTED_VARIABLE("expected variable name before value '%s' (positional values must come first)"),
        EXTENSION_NOT_LOADED("stanza '%s' needs plugin %s, which is not active"),
        EXTENSION_REJECTED("stanza '%s': %s"),
        EXTENSION_FAILED("stanza '%s' could not be parsed by its extension: %s"),
        UNREADABLE("cannot read job file: %s"),
        NOT_A_FILE("not a job file: %s"),
        TOO_LARGE("too large (%s, limit %s bytes)"),
        INTERNAL_ERROR("the parser failed on this file (a bug, please report it): %s"),
        NEEDS_CYCLE("'needs %s' makes a cycle: %s"),
        NAME_CLASH("job '%s' is also defined in %s, which takes precedence", false);

        /** The most of one offending word a message shows. */
        static final int LONGEST_WORD = 200;

        private final String template;
        private final boolean error;

        Kind(String template) {
            this(template, true);
        }

        Kind(String template, boolean error) {
            this.template = template;
            this.error = error;
        }

        /**
         * The template filled with {@code words}, each cut to {@value #LONGEST_WORD}
         * characters and with control characters escaped: a word may be a whole binary file.
         */
        public String format(Object... words) {
            Object[] shown = new Object[words.length];
            for (int i = 0; i < words.length; i++) {
                shown[i] = words[i] instanceof String word ? printable(word) : words[i];
            }
            return String.format(template, shown);
        }

        private static String printable(String word) {
            StringBuilder shown = new StringBuilder();
            for (int i = 0; i < word.length() && i < LONGEST_WORD; i++) {
                char c = word.charAt(i);
                if (Character.isISOControl(c)) {
                    shown.append(String.format("\\x%02x", c & 0xff));
                } else {
                    shown.append(c);
                }
            }
            if (word.length() > LONGEST_WORD) {
                shown.append("... (").append(word.length()).append(" characters)");
            }
            return shown.toString();
        }

        /** False for warnings: the file (or the job it competes with) still loads. */
        public boolean isError() {
            return error;
        }
    }
}
