package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.Await;

/** The plugin directory is watched: jars come and go while the daemon runs. */
class PluginDirectoryIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path work;

    @Test
    @Timeout(120)
    void removedPluginIsUninstalledAndItsEventsFlowAgainWhenPutBackWhileAJobRunsOn() throws Exception {
        Path watched = Files.createDirectories(work.resolve("watched"));
        Path touches = work.resolve("touches");
        try (DaemonProcess daemon = DaemonProcess.start(work)) {
            daemon.job("steady", "start on startup\nexec sleep 600\n");
            daemon.job("toucher", """
                    start on file FILE=%s/* EVENT=create
                    task
                    exec sh -c 'echo "$MATCH" >> %s'
                    """.formatted(watched, touches));
            daemon.awaitLog("started in session mode");
            long steady = awaitRunning(daemon, "steady");

            Files.createFile(watched.resolve("one"));
            awaitLines(touches, 1, daemon);

            Path jar = daemon.pluginDir().resolve("source-files-0.1.0.jar");
            Path kept = Files.move(jar, work.resolve("source-files-0.1.0.jar"));
            daemon.awaitBundle("org.upshot.source-files", null, WAIT);
            daemon.awaitLog("plugin org\\.upshot\\.source-files 0\\.1\\.0 \\[\\d+\\] removed: stopped and uninstalled");

            daemon.dropPlugin(kept);
            daemon.awaitBundle("org.upshot.source-files", "ACTIVE", WAIT);
            // The source re-binds to the engine and re-registers its watches just after
            // ACTIVE: a new file every half second until one is seen.
            int[] polls = {0};
            Await.until(WAIT, () -> {
                if (polls[0]++ % 25 == 0) {
                    createQuietly(watched.resolve("two-" + polls[0]));
                }
                return lines(touches).stream().anyMatch(line -> line.startsWith(watched.resolve("two-").toString()));
            }, () -> "a file event after the plugin came back; log:\n" + daemon.log());

            assertEquals(steady, awaitRunning(daemon, "steady"), "steady's pid after the plugin came and went");
            assertEquals(daemon.pid(), ProcTable.process(steady).ppid(), "steady is still the daemon's child");
            assertEquals("ACTIVE", daemon.bundleState("org.upshot.engine-bundle"));
        }
    }

    /** Waits until {@code job} is running and returns its pid from {@code initctl status}. */
    private static long awaitRunning(DaemonProcess daemon, String job) {
        Pattern running = Pattern.compile(Pattern.quote(job) + " start/running, process (\\d+)");
        long[] pid = {0};
        Await.until(WAIT, () -> {
            Matcher matcher = running.matcher(status(daemon, job));
            if (matcher.find()) {
                pid[0] = Long.parseLong(matcher.group(1));
            }
            return pid[0] != 0;
        }, () -> job + " running; status: " + status(daemon, job) + "\nlog:\n" + daemon.log());
        return pid[0];
    }

    private static String status(DaemonProcess daemon, String job) {
        try {
            return daemon.initctl("status", job).output();
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    private static void awaitLines(Path file, int count, DaemonProcess daemon) {
        Await.until(WAIT, () -> lines(file).size() >= count,
                () -> count + " lines in " + file + ", have " + lines(file) + "; log:\n" + daemon.log());
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void createQuietly(Path file) {
        try {
            Files.createFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @Timeout(90)
    void replacedPluginIsUpdatedInPlace() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(work)) {
            daemon.awaitLog("started in session mode");
            daemon.awaitBundle("org.upshot.example-tick-source", "ACTIVE", WAIT);
            Path jar = daemon.pluginDir().resolve("example-tick-source-0.1.0.jar");
            Path copy = Files.copy(jar, work.resolve("example-tick-source-0.1.0.jar"));
            Files.setLastModifiedTime(copy, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));

            daemon.dropPlugin(copy);
            daemon.awaitLog("updated org\\.upshot\\.example-tick-source 0\\.1\\.0 \\[\\d+\\]");
            daemon.awaitBundle("org.upshot.example-tick-source", "ACTIVE", WAIT);
        }
    }
}
