package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class OneLineFormatterTest {

    private static LogRecord record(Level level, String message, Throwable thrown) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName("org.upshot.engine.internal.Engine");
        record.setInstant(Instant.parse("2026-01-01T00:00:00Z"));
        record.setThrown(thrown);
        return record;
    }

    @Test
    void recordIsOneLineWithLevelShortLoggerNameAndMessage() {
        String line = new OneLineFormatter(false).format(record(Level.FINE, "test (#0) state changed", null));
        assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} DEBUG Engine: test \\(#0\\) state changed\\R"), line);
    }

    @Test
    void throwableAddsItsCauseChainOnTheSameLine() {
        Throwable thrown = new IllegalStateException("outer", new java.io.IOException("inner"));
        String line = new OneLineFormatter(false).format(record(Level.SEVERE, "failed", thrown));
        assertTrue(line.endsWith("ERROR Engine: failed: IllegalStateException: outer (caused by IOException: inner)"
                + System.lineSeparator()), line);
        assertEquals(1, line.lines().count());
    }

    @Test
    void debugFormatAddsTheStackTraceBelow() {
        String text = new OneLineFormatter(true).format(record(Level.WARNING, "odd", new RuntimeException("x")));
        assertTrue(text.lines().findFirst().orElseThrow().endsWith("WARN  Engine: odd: RuntimeException: x"), text);
        assertTrue(text.contains("\tat org.upshot.launcher.OneLineFormatterTest"), text);
    }
}
