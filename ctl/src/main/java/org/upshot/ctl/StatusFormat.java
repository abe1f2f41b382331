package org.upshot.ctl;

import java.util.List;
import java.util.Map;

/**
 * Upstart's status lines from the protocol's job and instance objects:
 * {@code getty (tty1) start/running, process 4152}, further processes on
 * tab-indented lines ({@code \tpre-stop process 8609}), and after a job's instances
 * its notes, tab-indented too: the engine's ({@code \tneeds db}), then the event
 * sources' ({@code \tlistening tcp 127.0.0.1:8080}).
 */
final class StatusFormat {

    private StatusFormat() {
    }

    /** Every instance of {@code job} (a protocol job object), or {@code NAME stop/waiting}; then its notes. */
    static void job(Map<String, Object> job, StringBuilder out) {
        List<?> instances = (List<?>) job.get("instances");
        if (instances == null || instances.isEmpty()) {
            out.append((String) job.get("name")).append(" stop/waiting\n");
        } else {
            for (Object instance : instances) {
                instance(asMap(instance), out);
            }
        }
        List<?> notes = (List<?>) job.getOrDefault("notes", List.of()); // an older daemon sends none
        for (Object note : notes) {
            out.append('\t').append((String) note).append('\n');
        }
    }

    /** One instance (a protocol instance object). */
    static void instance(Map<String, Object> instance, StringBuilder out) {
        out.append((String) instance.get("job"));
        String name = (String) instance.get("instance");
        if (name != null && !name.isEmpty()) {
            out.append(" (").append(name).append(')');
        }
        out.append(' ').append((String) instance.get("goal")).append('/').append((String) instance.get("state"));
        List<?> processes = (List<?>) instance.get("processes");
        for (int i = 0; processes != null && i < processes.size(); i++) {
            Map<String, Object> process = asMap(processes.get(i));
            String kind = (String) process.get("process");
            Object pid = process.get("pid");
            if (i == 0) {
                out.append(", ");
                // Upstart names the kind on the first line only for the helpers that
                // run beside main (post-start, pre-stop, security).
                if (!"main".equals(kind) && !"pre-start".equals(kind) && !"post-stop".equals(kind)) {
                    out.append('(').append(kind).append(") ");
                }
                out.append("process ").append(pid);
            } else {
                out.append("\n\t").append(kind).append(" process ").append(pid);
            }
        }
        out.append('\n');
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }
}
