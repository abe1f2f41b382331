package org.upshot.engine.internal.parse;

/** The one error the parser raises internally: it carries the diagnostic to report. */
final class ParseException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Diagnostic diagnostic;

    ParseException(Diagnostic diagnostic) {
        super(diagnostic.render(), null, false, false);
        this.diagnostic = diagnostic;
    }

    Diagnostic diagnostic() {
        return diagnostic;
    }
}
