package org.upshot.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per record on stderr: {@code 01:23:45.678 INFO  engine: message}. The logger
 * name is shortened to its last segment; a throwable adds {@code : cause (caused by ...)}
 * and, with {@code --debug}, its stack trace on the following lines.
 */
public final class OneLineFormatter extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final boolean stackTraces;

    /** @param stackTraces print a throwable's stack trace, not only its message */
    public OneLineFormatter(boolean stackTraces) {
        this.stackTraces = stackTraces;
    }

    /**
     * Quartz's log (through slf4j) only says what went wrong: its start-up report spans
     * lines, and at DEBUG it writes a line for every fire and every scheduler wake-up.
     * Held here, because java.util.logging keeps loggers only weakly.
     */
    private static final Logger QUARTZ = Logger.getLogger("org.quartz");

    /**
     * Makes this formatter the only output of java.util.logging (and so of
     * {@code System.getLogger} and slf4j): to stderr, at INFO, or DEBUG (FINE) with
     * {@code debug}.
     */
    public static void install(boolean debug) {
        LogManager.getLogManager().reset();
        Level level = debug ? Level.FINE : Level.INFO;
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new OneLineFormatter(debug));
        handler.setLevel(level);
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        root.setLevel(level);
        QUARTZ.setLevel(Level.WARNING);
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(128);
        line.append(TIME.format(LocalTime.ofInstant(record.getInstant(), ZoneId.systemDefault())))
                .append(' ')
                .append(String.format("%-5s", label(record.getLevel())))
                .append(' ')
                .append(shortName(record.getLoggerName()))
                .append(": ")
                .append(formatMessage(record));
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            line.append(": ").append(describe(thrown));
            if (stackTraces) {
                StringWriter trace = new StringWriter();
                thrown.printStackTrace(new PrintWriter(trace));
                line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
            }
        }
        return line.append(System.lineSeparator()).toString();
    }

    /** A throwable and its causes on one line: {@code IllegalStateException: boom (caused by ...)}. */
    public static String describe(Throwable thrown) {
        StringBuilder text = new StringBuilder();
        int depth = 0;
        for (Throwable t = thrown; t != null && depth < 10; t = t.getCause() == t ? null : t.getCause()) {
            text.append(depth == 0 ? "" : " (caused by ").append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
            depth++;
        }
        return text.append(")".repeat(depth - 1)).toString();
    }

    private static String label(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return "ERROR";
        } else if (value >= Level.WARNING.intValue()) {
            return "WARN";
        } else if (value >= Level.INFO.intValue()) {
            return "INFO";
        } else if (value >= Level.FINE.intValue()) {
            return "DEBUG";
        }
        return "TRACE";
    }

    private static String shortName(String loggerName) {
        if (loggerName == null || loggerName.isEmpty()) {
            return "upshot";
        }
        return loggerName.substring(loggerName.lastIndexOf('.') + 1);
    }
}
