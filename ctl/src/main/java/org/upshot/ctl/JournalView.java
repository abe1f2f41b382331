package org.upshot.ctl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The daemon's journal (the protocol's {@code journal} reply) read back into what the
 * boot views draw: one {@link Row} per job instance that started during the boot, in the
 * order they started, with the phases each run went through, its processes and its
 * failures; and the events that are not a job's own.
 *
 * <p>The boot is the journal's {@code boot} entries: the first ones the daemon kept.
 */
final class JournalView {

    /** The states a row draws, in the order a start goes through them. */
    static final String[] START_PHASES = {"starting", "security", "pre-start", "spawned", "post-start", "running"};

    /** The events every job emits; rows show them, so they are not drawn as markers. */
    private static final String[] JOB_EVENTS = {"starting", "started", "stopping", "stopped"};

    /** One journal entry. */
    static final class Entry {
        final long micros;
        final String kind;
        final String job;
        final String instance;
        final String what;
        final long pid;

        Entry(long micros, String kind, String job, String instance, String what, long pid) {
            this.micros = micros;
            this.kind = kind;
            this.job = job;
            this.instance = instance;
            this.what = what;
            this.pid = pid;
        }
    }

    /** A span of one state in one run, {@code end} exclusive; open spans end with the journal. */
    static final class Phase {
        final String state;
        final long start;
        long end;

        Phase(String state, long start, long end) {
            this.state = state;
            this.start = start;
            this.end = end;
        }
    }

    /** One job instance. */
    static final class Row {
        final String job;
        final String instance;
        final long firstStarting;
        /** When the first run reached running; -1 if it never did. */
        long firstRunning = -1;
        final List<Phase> phases = new ArrayList<>();
        final List<Entry> spawns = new ArrayList<>();
        final List<Entry> failures = new ArrayList<>();
        Phase open;

        Row(String job, String instance, long firstStarting) {
            this.job = job;
            this.instance = instance;
            this.firstStarting = firstStarting;
        }

        String displayName() {
            return instance.isEmpty() ? job : job + " (" + instance + ")";
        }

        /** Starting to running of the first run, in microseconds; -1 if it never ran. */
        long startDuration() {
            return firstRunning < 0 ? -1 : firstRunning - firstStarting;
        }
    }

    final List<Entry> entries;
    final List<Row> rows = new ArrayList<>();
    /** Events other than the jobs' own, as queued. */
    final List<Entry> markers = new ArrayList<>();
    /** The last entry's time: where open phases end. */
    final long end;

    private JournalView(List<Entry> entries) {
        this.entries = entries;
        Map<String, Row> byInstance = new LinkedHashMap<>();
        long last = 0;
        for (Entry entry : entries) {
            last = Math.max(last, entry.micros);
            if ("state".equals(entry.kind)) {
                String key = entry.job + '\u0000' + entry.instance;
                Row row = byInstance.get(key);
                if (row == null) {
                    if (!"starting".equals(entry.what)) {
                        continue; // an instance the boot did not start (stopping at once)
                    }
                    row = new Row(entry.job, entry.instance, entry.micros);
                    byInstance.put(key, row);
                    rows.add(row);
                }
                if (row.open != null) {
                    row.open.end = entry.micros;
                    row.open = null;
                }
                if (!"waiting".equals(entry.what)) {
                    row.open = new Phase(entry.what, entry.micros, -1);
                    row.phases.add(row.open);
                }
                if ("running".equals(entry.what) && row.firstRunning < 0) {
                    row.firstRunning = entry.micros;
                }
            } else if ("spawn".equals(entry.kind) || "failed".equals(entry.kind)) {
                Row row = byInstance.get(entry.job + '\u0000' + entry.instance);
                if (row != null) {
                    ("spawn".equals(entry.kind) ? row.spawns : row.failures).add(entry);
                }
            } else if ("event-queued".equals(entry.kind) && !isJobEvent(entry.what)) {
                markers.add(entry);
            }
        }
        this.end = last;
        for (Row row : rows) {
            if (row.open != null) {
                row.open.end = last;
            }
        }
    }

    /** Reads the {@code boot} entries of a {@code journal} reply. */
    static JournalView boot(Map<String, Object> reply) {
        return new JournalView(entries((List<?>) reply.get("boot")));
    }

    /** Every entry of a {@code journal} reply: the boot's, then the latest ones. */
    static List<Entry> all(Map<String, Object> reply) {
        List<Entry> all = entries((List<?>) reply.get("boot"));
        all.addAll(entries((List<?>) reply.get("recent")));
        return all;
    }

    private static List<Entry> entries(List<?> list) {
        List<Entry> out = new ArrayList<>(list == null ? 0 : list.size());
        if (list == null) {
            return out;
        }
        for (Object item : list) {
            Map<String, Object> fields = StatusFormat.asMap(item);
            out.add(new Entry(number(fields.get("t")), (String) fields.get("kind"), text(fields.get("job")),
                    text(fields.get("instance")), text(fields.get("what")), number(fields.get("pid"))));
        }
        return out;
    }

    /** The first time an event named {@code name} (any environment) reached {@code kind}; -1 if never. */
    long firstEvent(String kind, String name) {
        for (Entry entry : entries) {
            if (kind.equals(entry.kind) && eventName(entry.what).equals(name)) {
                return entry.micros;
            }
        }
        return -1;
    }

    /** {@code runlevel} from {@code runlevel RUNLEVEL=2}. */
    static String eventName(String event) {
        int space = event.indexOf(' ');
        return space < 0 ? event : event.substring(0, space);
    }

    private static boolean isJobEvent(String event) {
        String name = eventName(event);
        for (String jobEvent : JOB_EVENTS) {
            if (jobEvent.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** {@code 12.3 ms} or {@code 1.234 s}: a duration in microseconds, rounded down. */
    static String duration(long micros) {
        if (micros < 1_000_000) {
            return micros / 1000 + "." + (micros % 1000) / 100 + " ms";
        }
        long millis = micros / 1000;
        String fraction = String.valueOf(1000 + millis % 1000).substring(1);
        return millis / 1000 + "." + fraction + " s";
    }

    private static long number(Object value) {
        return value instanceof Number ? ((Number) value).longValue() : 0;
    }

    private static String text(Object value) {
        return value == null ? "" : (String) value;
    }
}
