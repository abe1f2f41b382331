package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.Await;

/**
 * The files source in a booted daemon: job files whose {@code start on} or {@code watch}
 * stanza names paths are started by real file changes, and the proof is each job's real
 * main process ({@code /proc/PID/cmdline} and {@code /proc/PID/environ}).
 *
 * <p>Every job runs {@code echo "$$" > out/JOB; exec sleep 1000}: the pid it records is
 * the main process, which becomes {@code sleep} and keeps the job's environment.
 */
class FilesSourceIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String STARTED_FILES = "started org\\.upshot\\.source-files";

    @TempDir
    Path work;

    private Path out;

    /**
     * A daemon that has to be killed at the end of a test leaves its jobs' processes
     * behind (they run in their own sessions): end every main process a job recorded.
     */
    @AfterEach
    void killJobProcesses() throws IOException {
        if (out == null) {
            return;
        }
        try (Stream<Path> files = Files.list(out)) {
            for (Path file : files.toList()) {
                long pid = readPid(file);
                if (pid > 0 && cmdline(pid).startsWith("sleep")) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
                }
            }
        }
    }

    /** Writes job {@code name} with the given condition lines. */
    private void job(Path confDir, String name, String... conditions) throws IOException {
        String text = String.join("\n", conditions) + "\n"
                + "script\n  echo \"$$\" > " + out.resolve(name) + "\n  exec sleep 1000\nend script\n";
        Files.writeString(confDir.resolve(name + ".conf"), text);
    }

    /** The pid job {@code name} recorded, once its main process is sleep. */
    private long awaitMain(DaemonProcess daemon, String name) {
        Path pidFile = out.resolve(name);
        long[] pid = {0};
        Await.until(WAIT, () -> {
            pid[0] = readPid(pidFile);
            return pid[0] > 0 && cmdline(pid[0]).startsWith("sleep");
        }, () -> name + "'s main process running sleep; log:\n" + daemon.log());
        return pid[0];
    }

    private static long readPid(Path pidFile) {
        try {
            String text = Files.readString(pidFile).trim();
            return text.isEmpty() ? 0 : Long.parseLong(text);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static List<String> environ(long pid) throws IOException {
        return Arrays.asList(new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")),
                StandardCharsets.UTF_8).split("\0"));
    }

    private static void assertStartedBy(long pid, String file, String kind, Path match) throws IOException {
        List<String> env = environ(pid);
        assertTrue(env.contains("FILE=" + file), env::toString);
        assertTrue(env.contains("EVENT=" + kind), env::toString);
        assertTrue(env.contains("MATCH=" + match), env::toString);
    }

    private static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        Await.until(WAIT, () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), () -> pid + " to exit");
    }

    @Test
    @Timeout(180)
    void fileEventsStartJobsOnRealChanges() throws Exception {
        out = Files.createDirectories(work.resolve("out"));
        Path conf = Files.createDirectories(work.resolve("conf"));
        Path queue = Files.createDirectories(work.resolve("spool/cups"));
        Path leftover = Files.writeString(queue.resolve("c00001"), "print me");
        Path config = Files.writeString(work.resolve("app.conf"), "v1\n");
        Path pidFile = Files.writeString(work.resolve("app.pid"), "1\n");
        Path drop = Files.createDirectories(work.resolve("drop"));
        Path flag = work.resolve("flag");
        Path missing = work.resolve("not/yet/there");
        Path spool = Files.createDirectories(work.resolve("jobs"));
        Path burst = Files.createDirectories(work.resolve("burst"));

        // The seeds' CUPS example: one line, so later activators can join it with "or".
        job(conf, "cups", "start on (file FILE=" + queue + "/* EVENT=create) or (startup and idle)");
        job(conf, "modified", "start on file FILE=" + config + " EVENT=modify");
        job(conf, "deleted", "start on file FILE=" + pidFile + " EVENT=delete");
        job(conf, "nonempty", "watch " + drop + " nonempty");
        job(conf, "created", "watch " + flag + " created");
        job(conf, "missing", "start on file FILE=" + missing + "/ EVENT=create");
        job(conf, "recreated", "start on file FILE=" + spool + "/*.job EVENT=create");
        job(conf, "burst", "start on file FILE=" + burst + "/ EVENT=create");

        try (DaemonProcess daemon = DaemonProcess.start(work)) {
            daemon.awaitLog("started in session mode");

            // Startup announcement: the print job left from before boot starts the spooler.
            long cups = awaitMain(daemon, "cups");
            assertStartedBy(cups, queue + "/*", "create", leftover);
            // And after it stops, a new print job starts it again.
            kill(cups);
            Files.delete(out.resolve("cups"));
            // An event reaching the engine before it has seen the exit finds the job still
            // running and is spent; wait until the job is back at rest, as a real spooler
            // restarted by a later print job would be.
            daemon.awaitLog("cups state changed from post-stop to waiting");
            Path second = Files.writeString(queue.resolve("c00002"), "and me");
            assertStartedBy(awaitMain(daemon, "cups"), queue + "/*", "create", second);

            // Until the jobs are watched, nothing may have started the others.
            for (String name : List.of("modified", "deleted", "nonempty", "created", "missing", "recreated", "burst")) {
                assertTrue(Files.notExists(out.resolve(name)), name + " started without its file event");
            }

            Files.writeString(config, "v2\n", StandardOpenOption.APPEND);
            assertStartedBy(awaitMain(daemon, "modified"), config.toString(), "modify", config);

            Files.delete(pidFile);
            assertStartedBy(awaitMain(daemon, "deleted"), pidFile.toString(), "delete", pidFile);

            Path dropped = Files.createFile(drop.resolve("incoming"));
            assertStartedBy(awaitMain(daemon, "nonempty"), drop + "/", "create", dropped);

            Files.createFile(flag);
            assertStartedBy(awaitMain(daemon, "created"), flag.toString(), "create", flag);

            Files.createDirectories(missing);
            Path arrived = Files.createFile(missing.resolve("now"));
            assertStartedBy(awaitMain(daemon, "missing"), missing + "/", "create", arrived);

            Files.delete(spool);
            Files.createDirectories(spool);
            Path printed = Files.createFile(spool.resolve("a.job"));
            assertStartedBy(awaitMain(daemon, "recreated"), spool + "/*.job", "create", printed);

            long burstStart = System.nanoTime();
            for (int i = 0; i < 10_000; i++) {
                Files.createFile(burst.resolve("f" + i));
            }
            long burstPid = awaitMain(daemon, "burst");
            assertStartedBy(burstPid, burst + "/", "create", burst.resolve("f0"));
            // One job start however many events, and the events were coalesced: with the
            // default window (100 ms) and limit (8), at most 1 + 8 * (T / 100 ms + 2).
            String emitted = "emitted file FILE=" + burst + "/ EVENT=create";
            int[] seen = {-1};
            Await.until(WAIT, () -> {
                int now = count(daemon.log(), emitted);
                boolean settled = now == seen[0];
                seen[0] = now;
                java.util.concurrent.locks.LockSupport.parkNanos(500_000_000L);
                return settled;
            }, daemon::log);
            long elapsedMillis = (System.nanoTime() - burstStart) / 1_000_000;
            long bound = 1 + 8 * (elapsedMillis / 100 + 2);
            assertTrue(seen[0] > 0 && seen[0] <= bound, seen[0] + " events in " + elapsedMillis + " ms, bound " + bound);
            assertTrue(seen[0] < 10_000 / 2, seen[0] + " events for a 10,000-file burst");
            assertEquals(burstPid, readPid(out.resolve("burst")), "started once");

            // A job file added while the daemon runs changes the watch set live, and the
            // new job is owed the announcement of what is already there.
            Path late = Files.createDirectories(work.resolve("late"));
            Path waiting = Files.createFile(late.resolve("waiting"));
            job(conf, "added", "start on file FILE=" + late + "/ EVENT=create");
            assertStartedBy(awaitMain(daemon, "added"), late + "/", "create", waiting);
            assertTrue(ProcessHandle.of(burstPid).map(ProcessHandle::isAlive).orElse(false));
            assertTrue(daemon.isAlive());
        }
    }

    @Test
    @Timeout(180)
    void unloadingTheBundleStopsItsEventsAndReloadingRestoresThem() throws Exception {
        out = Files.createDirectories(work.resolve("out"));
        Path conf = Files.createDirectories(work.resolve("conf"));
        Path first = Files.createDirectories(work.resolve("first"));
        Path second = Files.createDirectories(work.resolve("second"));
        job(conf, "held", "start on file FILE=" + first + "/ EVENT=create");
        job(conf, "later", "start on file FILE=" + second + "/ EVENT=create");

        try (DaemonProcess daemon = DaemonProcess.start(work)) {
            daemon.awaitLog("started in session mode");
            daemon.awaitLog(STARTED_FILES);
            Path trigger = Files.createFile(first.resolve("go"));
            long held = awaitMain(daemon, "held");
            assertStartedBy(held, first + "/", "create", trigger);

            int removed = daemon.logMark();
            Path kept = daemon.removePlugin("source-files-0.1.0.jar");
            // The bundle is gone before the engine has called the source's stop: wait for that.
            daemon.awaitLog("event source files from bundle org\\.upshot\\.source-files stopped$", removed);

            // The running job survives; the unloaded source reports nothing.
            assertTrue(cmdline(held).startsWith("sleep"), "held's main process survives the unload");
            Path waiting = Files.createFile(second.resolve("waiting"));
            int before = count(daemon.log(), "emitted file FILE=");
            Await.stays(Duration.ofSeconds(2), () -> Files.notExists(out.resolve("later"))
                    && count(daemon.log(), "emitted file FILE=") == before, () -> "a file event while the source is unloaded");

            // Back again: the new source instance sees "later" for the first time and
            // announces the file that is already there.
            daemon.restorePlugin(kept);
            assertStartedBy(awaitMain(daemon, "later"), second + "/", "create", waiting);
            assertEquals(held, readPid(out.resolve("held")), "held was not restarted");
            assertTrue(cmdline(held).startsWith("sleep"));
        }
    }

    private static int count(String text, String needle) {
        Matcher matcher = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
