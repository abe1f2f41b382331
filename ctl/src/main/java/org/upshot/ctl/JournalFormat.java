package org.upshot.ctl;

import java.util.List;
import java.util.Map;

/**
 * {@code initctl journal}: the daemon's journal, one entry a line, time since the
 * daemon started first:
 *
 * <pre>
 *    612.3 ms  event-queued    startup
 *    613.0 ms  state           web  starting
 *    615.9 ms  spawn           web  main 4152
 *    623.1 ms  failed          web  main status 1
 * </pre>
 *
 * A line {@code -- N entries dropped --} stands where the ring let entries go.
 */
final class JournalFormat {

    private JournalFormat() {
    }

    static void render(Map<String, Object> reply, StringBuilder out) {
        List<JournalView.Entry> boot = JournalView.all(reply);
        int bootSize = ((List<?>) reply.get("boot")).size();
        Object dropped = reply.get("dropped");
        for (int i = 0; i < boot.size(); i++) {
            if (i == bootSize && dropped instanceof Number && ((Number) dropped).longValue() > 0) {
                out.append("-- ").append(dropped).append(" entries dropped --\n");
            }
            line(boot.get(i), out);
        }
    }

    private static void line(JournalView.Entry entry, StringBuilder out) {
        pad(JournalView.duration(entry.micros), 12, out);
        out.append("  ").append(entry.kind);
        for (int pad = entry.kind.length(); pad < 16; pad++) {
            out.append(' ');
        }
        if (!entry.job.isEmpty()) {
            out.append(entry.job);
            if (!entry.instance.isEmpty()) {
                out.append(" (").append(entry.instance).append(')');
            }
            out.append("  ");
        }
        out.append(entry.what);
        if (entry.pid != 0) {
            out.append(' ').append(entry.pid);
        }
        out.append('\n');
    }

    /** {@code text} right-aligned in {@code width} columns. */
    static void pad(String text, int width, StringBuilder out) {
        for (int pad = text.length(); pad < width; pad++) {
            out.append(' ');
        }
        out.append(text);
    }
}
