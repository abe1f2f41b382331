package org.upshot.engine.internal.control;

import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Upstart's log priorities over {@code java.util.logging}, where the daemon's
 * {@code System.Logger} output ends up. The level is set on the root logger and its
 * handlers, so {@code log-priority debug} shows debug output at once.
 */
final class LogPriority {

    /** Upstart's words, most verbose first. */
    enum Priority {
        DEBUG(Level.FINE), INFO(Level.CONFIG), MESSAGE(Level.INFO), WARN(Level.WARNING),
        ERROR(Level.SEVERE), FATAL(Level.SEVERE);

        final Level level;

        Priority(Level level) {
            this.level = level;
        }

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private volatile Priority current;

    LogPriority(boolean debug) {
        current = debug ? Priority.DEBUG : Priority.MESSAGE;
    }

    String current() {
        return current.word();
    }

    /** @throws IllegalArgumentException for a word that is not a priority */
    void set(String word) {
        Priority priority;
        try {
            priority = Priority.valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown priority: " + word);
        }
        Logger root = Logger.getLogger("");
        root.setLevel(priority.level);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(priority.level);
        }
        current = priority;
    }
}
