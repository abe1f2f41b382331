package org.upshot.ctl;

import java.util.List;
import java.util.Map;

/** {@code show-config} and {@code check-config} output, as Upstart laid it out. */
final class ConfigFormat {

    private ConfigFormat() {
    }

    /**
     * {@code name}, then {@code   emits X}, {@code   start on EXPR}, {@code   stop on EXPR};
     * with {@code enumerate}, one {@code start on}/{@code stop on} line per operand.
     */
    static void show(List<?> jobs, boolean enumerate, StringBuilder out) {
        for (Object item : jobs) {
            Map<String, Object> job = StatusFormat.asMap(item);
            out.append((String) job.get("name")).append('\n');
            for (Object event : (List<?>) job.get("emits")) {
                out.append("  emits ").append((String) event).append('\n');
            }
            condition(job, "startOn", "  start on ", enumerate, out);
            condition(job, "stopOn", "  stop on ", enumerate, out);
        }
    }

    private static void condition(Map<String, Object> job, String field, String prefix,
            boolean enumerate, StringBuilder out) {
        if (!job.containsKey(field)) {
            return;
        }
        if (!enumerate) {
            out.append(prefix).append((String) job.get(field)).append('\n');
            return;
        }
        for (Object operand : (List<?>) job.get(field.concat("Operands"))) {
            out.append(prefix).append((String) operand).append('\n');
        }
    }

    /** {@code name}, then one {@code   start on: unknown event X} line per problem. */
    static void check(List<?> jobs, StringBuilder out) {
        for (Object item : jobs) {
            Map<String, Object> job = StatusFormat.asMap(item);
            out.append((String) job.get("name")).append('\n');
            for (Object problem : (List<?>) job.get("problems")) {
                out.append("  ").append((String) problem).append('\n');
            }
        }
    }
}
