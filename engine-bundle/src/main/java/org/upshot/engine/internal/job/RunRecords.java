package org.upshot.engine.internal.job;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.upshot.job.InstanceRef;

/**
 * The running instances, on disk in the runtime directory, so that a daemon started after
 * one that died (killed, crashed) finds the runs it left and adopts them instead of
 * starting them twice. Saved when an instance reaches {@code running}, removed when it
 * leaves it; a clean stop therefore leaves none. The pid is paired with the process's
 * start time, so a pid used again by another process is never taken for the run.
 *
 * <p>One file, {@value #FILE}, of lines appended: {@code run JOB INSTANCE PID TICKS ENV...}
 * and {@code end JOB INSTANCE}, tab-separated, each field with backslash, newline and tab
 * escaped; the last line for an instance wins. Appending is what makes a thousand starts
 * cheap: a file created and renamed per run cost the kernel about half a millisecond each.
 * The file is rewritten with the live runs alone (to a temporary name, then renamed) once
 * it holds many more lines than runs, and at every {@link #load}, so a line a crash cut
 * short is only ever the last one, and is ignored.
 *
 * <p>Changes are written on a thread of their own, in order, as many as are queued in
 * one write, so the engine thread never waits on the disk; {@link #load} reads on the
 * caller's thread, once, at start, before any change.
 */
final class RunRecords {

    private static final Logger LOG = System.getLogger(RunRecords.class.getName());
    private static final String FILE = "records";
    /** Lines beyond the live runs' that the file may gather before it is rewritten. */
    private static final int SLACK_LINES = 256;

    /**
     * One run the previous daemon left.
     *
     * @param ref the instance
     * @param pid its main process
     * @param startTicks when that process started ({@code /proc/PID/stat}, clock ticks after boot)
     * @param env the run's environment
     */
    record Run(InstanceRef ref, int pid, long startTicks, List<String> env) {}

    private final Path dir;
    private final Path file;
    private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "upshot-run-records");
                t.setDaemon(true);
                return t;
            });
    /** The line of each live run (writer thread, after {@link #load}). */
    private final Map<InstanceRef, String> live = new HashMap<>();
    /** Lines not yet written (writer thread). */
    private final StringBuilder pending = new StringBuilder();
    /** Lines in the file (writer thread). */
    private int linesInFile = -1;

    RunRecords(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
    }

    /** Records the running instance {@code ref} and its main process; engine thread. */
    void save(InstanceRef ref, int pid, List<String> env) {
        writer.execute(() -> {
            OptionalLong ticks = startTicks(pid);
            if (ticks.isEmpty()) {
                return; // ended already: its exit is on its way to the engine
            }
            List<String> fields = new ArrayList<>(List.of("run", ref.job(), ref.instance(), Integer.toString(pid),
                    Long.toString(ticks.getAsLong())));
            fields.addAll(env);
            String line = line(fields);
            live.put(ref, line);
            change(line);
        });
    }

    /** Forgets {@code ref}: it no longer runs. */
    void remove(InstanceRef ref) {
        writer.execute(() -> {
            if (live.remove(ref) != null) {
                change(line(List.of("end", ref.job(), ref.instance())));
            }
        });
    }

    /**
     * Every run recorded whose process still runs; the file is rewritten with those alone.
     * Call once, before any {@link #save} or {@link #remove}.
     */
    List<Run> load() {
        Map<InstanceRef, Run> runs = new LinkedHashMap<>();
        try {
            String text = Files.readString(file);
            // whatever follows the last newline is a line a crash cut short
            String[] lines = text.substring(0, text.lastIndexOf('\n') + 1).split("\n");
            for (String line : lines) {
                if (!line.isEmpty()) {
                    replay(line, runs);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read the run records in " + file + ": " + e.getMessage());
        }
        runs.values().removeIf(run -> !startTicks(run.pid()).equals(OptionalLong.of(run.startTicks())));
        for (Run run : runs.values()) {
            List<String> fields = new ArrayList<>(List.of("run", run.ref().job(), run.ref().instance(),
                    Integer.toString(run.pid()), Long.toString(run.startTicks())));
            fields.addAll(run.env());
            live.put(run.ref(), line(fields));
        }
        rewrite();
        return List.copyOf(runs.values());
    }

    /** Writes what is queued, then stops; bounded, as a shutdown must not hang on a disk. */
    void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * When process {@code pid} started, in clock ticks after boot; empty if it is gone or
     * a zombie (ended, not yet reaped).
     */
    static OptionalLong startTicks(int pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        // the command in parentheses may hold spaces and parentheses: fields follow the last ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        if (fields.length < 20 || fields[0].equals("Z") || fields[0].equals("X")) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(fields[19])); // field 22 of stat
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Queues {@code line}; once nothing else is queued, writes all that waits. */
    private void change(String line) {
        pending.append(line);
        if (writer.getQueue().isEmpty()) {
            flush();
        }
    }

    private void flush() {
        int lines = (int) pending.chars().filter(c -> c == '\n').count();
        if (linesInFile < 0 || linesInFile + lines > 2 * live.size() + SLACK_LINES) {
            rewrite();
            return;
        }
        try {
            Files.writeString(file, pending, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            linesInFile += lines;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot record runs in " + file + ": " + e.getMessage());
            linesInFile = -1; // rewrite next time
        }
        pending.setLength(0);
    }

    /** Replaces the file with the live runs' lines alone. */
    private void rewrite() {
        pending.setLength(0);
        StringBuilder text = new StringBuilder();
        live.values().forEach(text::append);
        try {
            Files.createDirectories(dir);
            Path partial = dir.resolve(FILE + ".partial");
            Files.writeString(partial, text);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            linesInFile = live.size();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot record runs in " + file + ": " + e.getMessage());
            linesInFile = -1;
        }
    }

    /** Applies one line of the file to {@code runs}; a damaged line is logged and skipped. */
    private void replay(String line, Map<InstanceRef, Run> runs) {
        List<String> fields = new ArrayList<>();
        for (String field : line.split("\t", -1)) {
            fields.add(unescape(field));
        }
        try {
            switch (fields.get(0)) {
                case "run" -> {
                    InstanceRef ref = new InstanceRef(fields.get(1), fields.get(2));
                    int pid = Integer.parseInt(fields.get(3));
                    long ticks = Long.parseLong(fields.get(4));
                    if (pid <= 0 || ticks < 0) {
                        throw new NumberFormatException("pid " + pid + ", started " + ticks);
                    }
                    runs.put(ref, new Run(ref, pid, ticks, List.copyOf(fields.subList(5, fields.size()))));
                }
                case "end" -> runs.remove(new InstanceRef(fields.get(1), fields.get(2)));
                default -> throw new NumberFormatException("unknown record " + fields.get(0));
            }
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "ignoring a damaged run record in " + file + ": " + e.getMessage());
        }
    }

    /** The fields, escaped, joined by tabs, and a newline. */
    private static String line(List<String> fields) {
        StringBuilder line = new StringBuilder();
        for (String field : fields) {
            line.append(line.length() == 0 ? "" : "\t").append(escape(field));
        }
        return line.append('\n').toString();
    }

    /** One field: backslashes, newlines and tabs escaped. */
    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t");
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(next == 'n' ? '\n' : next == 't' ? '\t' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
