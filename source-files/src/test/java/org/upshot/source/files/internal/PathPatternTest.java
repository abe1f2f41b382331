package org.upshot.source.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathPatternTest {

    private static final Path HOME = Path.of("/home/alice");

    @Test
    void filePatternNamesOneEntryOfItsDirectory() {
        PathPattern pattern = PathPattern.parse("/run/app.pid", HOME);
        assertEquals(Path.of("/run"), pattern.directory());
        assertEquals(Optional.of("app.pid"), pattern.name());
        assertTrue(pattern.matches("app.pid"));
        assertFalse(pattern.matches("app.pid2"));
    }

    @Test
    void trailingSlashMakesADirectoryPatternMatchingEveryEntry() {
        PathPattern pattern = PathPattern.parse("/var/spool/cups/", HOME);
        assertTrue(pattern.isDirectory());
        assertEquals(Path.of("/var/spool/cups"), pattern.directory());
        assertTrue(pattern.matches("c00001"));
        assertEquals("/var/spool/cups/", pattern.text(), "the text is kept as written");
    }

    @Test
    void wildcardInTheLastComponent() {
        PathPattern pattern = PathPattern.parse("/var/crash/*.crash", HOME);
        assertTrue(pattern.wildcard());
        assertTrue(pattern.matches("_usr_bin_x.0.crash"));
        assertFalse(pattern.matches("notes.txt"));
    }

    @Test
    void tildeMeansHome() {
        PathPattern pattern = PathPattern.parse("~/inbox/", HOME);
        assertEquals(Path.of("/home/alice/inbox"), pattern.directory());
        assertEquals("~/inbox/", pattern.text());
    }

    @Test
    void rootDirectoryEntries() {
        PathPattern pattern = PathPattern.parse("/forcefsck", HOME);
        assertEquals(Path.of("/"), pattern.directory());
    }

    @ParameterizedTest(name = "''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', value = {
        "relative/path      | must be absolute",
        "/var/*/cups/x      | only in the last component",
        "/var/spool/*/      | only in the last component",
        "/var/spool/..      | must not end in",
        "''                 | empty path",
    })
    void badPatternsAreRefusedWithAReason(String text, String reason) {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> PathPattern.parse(text, HOME));
        assertTrue(error.getMessage().contains(reason), error.getMessage());
    }
}
