package org.upshot.engine.internal.match;

/**
 * A {@code $VAR} reference that {@link Environ#expand} could not expand.
 *
 * <p>Callers decide what a failure means: in an event pattern it means "no match",
 * in an {@code instance} name it refuses the start ({@code Unknown parameter: VAR}).
 */
public final class ExpansionException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the expansion failed. */
    public enum Kind {
        /** {@code $VAR} or {@code ${VAR}} with no such variable in the environment. */
        UNKNOWN_VARIABLE("unknown variable"),
        /** {@code ${VAR:x...}} where {@code x} is neither {@code -} nor {@code +}. */
        BAD_OPERATOR("expected '-' or '+' after ':'"),
        /** {@code ${...} without its closing brace}. */
        MISSING_BRACE("missing '}' to end the variable");

        private final String message;

        Kind(String message) {
            this.message = message;
        }

        /** A short lower-case description. */
        public String message() {
            return message;
        }
    }

    private final Kind kind;
    private final String text;
    private final String variable;

    ExpansionException(Kind kind, String text, String variable) {
        super(kind.message() + (variable.isEmpty() ? "" : " " + variable) + " in '" + text + "'");
        this.kind = kind;
        this.text = text;
        this.variable = variable;
    }

    /** Why it failed. */
    public Kind kind() {
        return kind;
    }

    /** The whole text that was being expanded. */
    public String text() {
        return text;
    }

    /** The variable at fault for {@link Kind#UNKNOWN_VARIABLE}, else an empty string. */
    public String variable() {
        return variable;
    }
}
