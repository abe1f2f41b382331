package org.upshot.ctl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code initctl boot-time}: how long the boot took, as {@code systemd-analyze} and its
 * {@code blame} say it. Times are from the daemon's start (its JVM's) on the monotonic clock.
 *
 * <pre>
 * startup after 612.3 ms, finished after 1.204 s
 * runlevel RUNLEVEL=2 after 1.304 s, finished after 1.500 s
 * slowest jobs (starting to running):
 *     523.4 ms  db
 *      12.0 ms  web
 * </pre>
 */
final class BootTime {

    static final int SLOWEST = 10;

    private BootTime() {
    }

    static void render(JournalView view, StringBuilder out) {
        eventLine(view, "startup", out);
        for (JournalView.Entry marker : view.markers) {
            if ("runlevel".equals(JournalView.eventName(marker.what))) {
                out.append(marker.what).append(" after ").append(JournalView.duration(marker.micros));
                long finished = finished(view, marker.what);
                if (finished >= 0) {
                    out.append(", finished after ").append(JournalView.duration(finished));
                }
                out.append('\n');
            }
        }
        List<JournalView.Row> slowest = new ArrayList<>();
        for (JournalView.Row row : view.rows) {
            if (row.startDuration() >= 0) {
                slowest.add(row);
            }
        }
        // stable: equal durations keep their start order
        slowest.sort(new Comparator<JournalView.Row>() {
            @Override
            public int compare(JournalView.Row a, JournalView.Row b) {
                return Long.compare(b.startDuration(), a.startDuration());
            }
        });
        out.append("slowest jobs (starting to running):\n");
        for (int i = 0; i < slowest.size() && i < SLOWEST; i++) {
            JournalView.Row row = slowest.get(i);
            JournalFormat.pad(JournalView.duration(row.startDuration()), 12, out);
            out.append("  ").append(row.displayName()).append('\n');
        }
        int failed = 0;
        for (JournalView.Row row : view.rows) {
            failed += row.failures.isEmpty() ? 0 : 1;
        }
        if (failed > 0) {
            out.append(failed).append(failed == 1 ? " job" : " jobs").append(" failed during the boot\n");
        }
    }

    private static void eventLine(JournalView view, String name, StringBuilder out) {
        long queued = view.firstEvent("event-queued", name);
        if (queued < 0) {
            out.append(name).append(" not emitted yet\n");
            return;
        }
        out.append(name).append(" after ").append(JournalView.duration(queued));
        long finished = view.firstEvent("event-finished", name);
        if (finished >= 0) {
            out.append(", finished after ").append(JournalView.duration(finished));
        }
        out.append('\n');
    }

    /** When the event {@code event} (name and environment, as queued) finished; -1 if not yet. */
    private static long finished(JournalView view, String event) {
        for (JournalView.Entry entry : view.entries) {
            boolean same = entry.what.equals(event) || entry.what.equals(event + " (failed)");
            if ("event-finished".equals(entry.kind) && same) {
                return entry.micros;
            }
        }
        return -1;
    }
}
