package org.upshot.engine.internal.job;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.upshot.job.InstanceRef;

/**
 * A file per running instance in the runtime directory, so that a daemon started after
 * one that died (killed, crashed) finds the runs it left and adopts them instead of
 * starting them twice. Saved when an instance reaches {@code running}, removed when it
 * leaves it; a clean stop therefore leaves none. The pid is paired with the process's
 * start time, so a pid used again by another process is never taken for the run.
 *
 * <p>Files are written on a thread of their own, in order, so the engine thread never
 * waits on the disk; {@link #load} reads them on the caller's thread, once, at start.
 */
final class RunRecords {

    private static final Logger LOG = System.getLogger(RunRecords.class.getName());

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
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "upshot-run-records");
        t.setDaemon(true);
        return t;
    });

    RunRecords(Path dir) {
        this.dir = dir;
    }

    /** Records the running instance {@code ref} and its main process; engine thread. */
    void save(InstanceRef ref, int pid, List<String> env) {
        writer.execute(() -> write(ref, pid, env));
    }

    /** Forgets {@code ref}: it no longer runs. */
    void remove(InstanceRef ref) {
        writer.execute(() -> {
            try {
                Files.deleteIfExists(fileOf(ref));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot remove the run record of " + ref.displayName() + ": " + e.getMessage());
            }
        });
    }

    /** Every run recorded whose process still runs; the records of the others are removed. */
    List<Run> load() {
        List<Run> runs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return runs;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.run")) {
            for (Path file : files) {
                Run run = read(file);
                if (run != null && startTicks(run.pid()).equals(OptionalLong.of(run.startTicks()))) {
                    runs.add(run);
                } else {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read the run records in " + dir + ": " + e.getMessage());
        }
        return runs;
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

    private void write(InstanceRef ref, int pid, List<String> env) {
        OptionalLong ticks = startTicks(pid);
        if (ticks.isEmpty()) {
            return; // ended already: its exit is on its way to the engine
        }
        StringBuilder text = new StringBuilder();
        text.append("job ").append(escape(ref.job())).append('\n');
        text.append("instance ").append(escape(ref.instance())).append('\n');
        text.append("pid ").append(pid).append('\n');
        text.append("started ").append(ticks.getAsLong()).append('\n');
        for (String entry : env) {
            text.append("env ").append(escape(entry)).append('\n');
        }
        Path file = fileOf(ref);
        try {
            Files.createDirectories(dir);
            Path partial = dir.resolve(file.getFileName() + ".partial");
            Files.writeString(partial, text);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot record the run of " + ref.displayName() + ": " + e.getMessage());
        }
    }

    /** A record, or null if it cannot be read as one (logged). */
    private static Run read(Path file) {
        String job = null;
        String instance = null;
        int pid = 0;
        long ticks = -1;
        List<String> env = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int space = line.indexOf(' ');
                String key = space < 0 ? line : line.substring(0, space);
                String value = space < 0 ? "" : unescape(line.substring(space + 1));
                switch (key) {
                    case "job" -> job = value;
                    case "instance" -> instance = value;
                    case "pid" -> pid = Integer.parseInt(value);
                    case "started" -> ticks = Long.parseLong(value);
                    case "env" -> env.add(value);
                    default -> throw new NumberFormatException("unknown line " + key);
                }
            }
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | NumberFormatException e) {
            LOG.log(Level.WARNING, "ignoring run record " + file + ": " + e.getMessage());
            return null;
        }
        if (job == null || instance == null || pid <= 0 || ticks < 0) {
            LOG.log(Level.WARNING, "ignoring run record " + file + ": incomplete");
            return null;
        }
        return new Run(new InstanceRef(job, instance), pid, ticks, env);
    }

    private Path fileOf(InstanceRef ref) {
        return dir.resolve(URLEncoder.encode(ref.job(), StandardCharsets.UTF_8) + "@"
                + URLEncoder.encode(ref.instance(), StandardCharsets.UTF_8) + ".run");
    }

    /** One line per field: backslashes and newlines escaped. */
    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
