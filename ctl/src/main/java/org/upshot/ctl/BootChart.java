package org.upshot.ctl;

/**
 * {@code initctl boot-chart}: the boot as an SVG timeline, bootchart's way. One row per
 * job instance, in the order they started, labelled with the name and the time from
 * {@code starting} to {@code running}; a bar per state of each run (its colour by
 * state, outlined red in a run that failed, the failure written after it); a tick per
 * process spawned (its kind and pid in the tooltip); a dashed line with the name for each
 * event that is not a job's own ({@code startup}, {@code runlevel}, ...).
 *
 * <p>Each row is a {@code <g class="job">} carrying {@code data-job}, {@code data-instance},
 * {@code data-starting} and {@code data-running} (microseconds since the daemon started,
 * {@code -1} if it never ran), so scripts can read the chart back.
 */
final class BootChart {

    private static final int LABEL_WIDTH = 320;
    private static final int CHART_WIDTH = 1200;
    private static final int ROW_HEIGHT = 16;
    private static final int TOP = 48;
    private static final String[][] COLOURS = {
        {"starting", "#9ecae1"}, {"security", "#c6dbef"}, {"pre-start", "#fdae6b"}, {"spawned", "#fd8d3c"},
        {"post-start", "#a1d99b"}, {"running", "#31a354"}, {"pre-stop", "#bcbddc"}, {"stopping", "#9e9ac8"},
        {"killed", "#756bb1"}, {"post-stop", "#dadaeb"},
    };

    private BootChart() {
    }

    static void render(JournalView view, StringBuilder out) {
        long span = Math.max(view.end, 1);
        int height = TOP + view.rows.size() * ROW_HEIGHT + 40;
        int width = LABEL_WIDTH + CHART_WIDTH + 200;
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" font-family=\"sans-serif\" font-size=\"11\">\n")
                .append("<title>Upshot boot chart</title>\n")
                .append("<style>.failed rect{stroke:#d62728;stroke-width:1.5}.failure{fill:#d62728}"
                        + ".spawn{stroke:#000}.marker{stroke:#555;stroke-dasharray:4 3}</style>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
        axis(span, height, out);
        for (JournalView.Entry marker : view.markers) {
            double x = x(marker.micros, span);
            out.append("<g class=\"event\"><line class=\"marker\" x1=\"").append(fixed(x)).append("\" y1=\"")
                    .append(TOP - 10).append("\" x2=\"").append(fixed(x)).append("\" y2=\"").append(height - 30)
                    .append("\"/><text x=\"").append(fixed(x + 2)).append("\" y=\"").append(TOP - 12)
                    .append("\">").append(escape(marker.what)).append("</text></g>\n");
        }
        int index = 0;
        for (JournalView.Row row : view.rows) {
            row(row, TOP + index++ * ROW_HEIGHT, span, out);
        }
        legend(height - 14, out);
        out.append("</svg>\n");
    }

    private static void row(JournalView.Row row, int y, long span, StringBuilder out) {
        boolean failed = !row.failures.isEmpty();
        long duration = row.startDuration();
        out.append("<g class=\"job").append(failed ? " failed" : "").append("\" data-job=\"")
                .append(escape(row.job)).append("\" data-instance=\"").append(escape(row.instance))
                .append("\" data-starting=\"").append(row.firstStarting).append("\" data-running=\"")
                .append(row.firstRunning).append("\">");
        out.append("<text x=\"4\" y=\"").append(y + ROW_HEIGHT - 4).append("\">").append(escape(row.displayName()))
                .append(' ').append(duration < 0 ? "(not running)" : "(" + JournalView.duration(duration) + ")")
                .append("</text>");
        for (JournalView.Phase phase : row.phases) {
            double x = x(phase.start, span);
            double w = Math.max(x(phase.end, span) - x, 1);
            out.append("<rect x=\"").append(fixed(x)).append("\" y=\"").append(y + 2).append("\" width=\"")
                    .append(fixed(w)).append("\" height=\"").append(ROW_HEIGHT - 4).append("\" fill=\"")
                    .append(colour(phase.state)).append("\"><title>").append(phase.state).append(' ')
                    .append(JournalView.duration(phase.end - phase.start)).append("</title></rect>");
        }
        for (JournalView.Entry spawn : row.spawns) {
            double x = x(spawn.micros, span);
            out.append("<line class=\"spawn\" x1=\"").append(fixed(x)).append("\" y1=\"").append(y)
                    .append("\" x2=\"").append(fixed(x)).append("\" y2=\"").append(y + ROW_HEIGHT)
                    .append("\"><title>").append(spawn.what).append(" process ").append(spawn.pid).append(" at ")
                    .append(JournalView.duration(spawn.micros)).append("</title></line>");
        }
        for (JournalView.Entry failure : row.failures) {
            out.append("<text class=\"failure\" x=\"").append(fixed(x(failure.micros, span) + 4)).append("\" y=\"")
                    .append(y + ROW_HEIGHT - 4).append("\">failed: ").append(escape(failure.what)).append("</text>");
        }
        out.append("</g>\n");
    }

    private static void axis(long span, int height, StringBuilder out) {
        // the first of 1, 2, 5, 10, 20, 50 ... microseconds that gives at most ten ticks
        long decade = 1;
        long step = 1;
        for (int i = 0; span / step > 10; i++) {
            if (i % 3 == 0 && i > 0) {
                decade *= 10;
            }
            step = decade * (i % 3 == 0 ? 1 : i % 3 == 1 ? 2 : 5);
        }
        out.append("<g class=\"axis\" fill=\"#777\">");
        for (long t = 0; t <= span; t += step) {
            double x = x(t, span);
            out.append("<line x1=\"").append(fixed(x)).append("\" y1=\"").append(TOP - 4).append("\" x2=\"")
                    .append(fixed(x)).append("\" y2=\"").append(height - 30).append("\" stroke=\"#eee\"/>")
                    .append("<text x=\"").append(fixed(x)).append("\" y=\"").append(TOP - 30).append("\">")
                    .append(JournalView.duration(t)).append("</text>");
        }
        out.append("</g>\n");
    }

    private static void legend(int y, StringBuilder out) {
        int x = 4;
        out.append("<g class=\"legend\">");
        for (String[] colour : COLOURS) {
            out.append("<rect x=\"").append(x).append("\" y=\"").append(y - 9).append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(colour[1]).append("\"/><text x=\"").append(x + 13).append("\" y=\"").append(y)
                    .append("\">").append(colour[0]).append("</text>");
            x += 90;
        }
        out.append("<text class=\"failure\" x=\"").append(x).append("\" y=\"").append(y).append("\">failed</text></g>\n");
    }

    private static String colour(String state) {
        for (String[] colour : COLOURS) {
            if (colour[0].equals(state)) {
                return colour[1];
            }
        }
        return "#ccc";
    }

    private static double x(long micros, long span) {
        return LABEL_WIDTH + (double) micros * CHART_WIDTH / span;
    }

    /** One decimal, without {@code String.format} (see {@link Initctl}). */
    private static String fixed(double value) {
        long tenths = Math.round(value * 10);
        return tenths / 10 + "." + Math.abs(tenths % 10);
    }

    /** Text and (double-quoted) attribute values for XML, control characters as {@code ?}; GraphSvg's too. */
    static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;"
                    : c < 0x20 && c != '\t' ? "?" : null;
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                out.append(replacement != null ? replacement : String.valueOf(c));
            }
        }
        return out == null ? text : out.toString();
    }
}
