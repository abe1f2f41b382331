package org.upshot.engine.internal.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.upshot.engine.internal.model.JobClass;

/** Helpers shared by the parser tests: parse a text as {@code test.conf}, check one error. */
final class Parsing {

    static final Path FILE = Path.of("test.conf");

    private Parsing() {}

    static ParseResult parse(String text) {
        return new JobParser(StanzaLookup.NONE).parse("test", FILE, text);
    }

    /** The job the text gives; fails if there was any diagnostic. */
    static JobClass job(String text) {
        ParseResult result = parse(text);
        assertEquals(List.of(), result.diagnostics(), text);
        assertTrue(result.loaded());
        return result.job().orElseThrow();
    }

    /** The single error the text gives, checked for kind, line and column. */
    static Diagnostic error(String text, Diagnostic.Kind kind, int line, int column) {
        ParseResult result = parse(text);
        assertFalse(result.loaded(), "should not load: " + text);
        assertEquals(1, result.diagnostics().size(), result.diagnostics().toString());
        Diagnostic error = result.diagnostics().get(0);
        assertEquals(FILE, error.file());
        assertEquals(kind, error.kind(), error.render());
        assertEquals(line, error.line(), error.render());
        assertEquals(column, error.column(), error.render());
        assertTrue(error.isError());
        return error;
    }
}
