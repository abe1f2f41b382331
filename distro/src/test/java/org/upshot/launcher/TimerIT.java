package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.Await;
import org.upshot.testkit.IoClass;

/**
 * The timer source in the booted distribution, with Quartz from {@code bundle/} and slf4j
 * from {@code lib/} in the real Felix: interval and crontab fires, a fire skipped while
 * the run it started goes on, a persistent timer's catch-up across a restart, {@code idle}
 * and the niceness of what it starts, and the example CUPS job started by each of its
 * three activators. Jobs record what started them in files under the test's directory;
 * processes are read in {@code /proc}. The tests run side by side: the crontab one waits
 * for the next minute.
 */
class TimerIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** idle after 1 s without a milestone, at most 4 s after the source started. */
    private static final String[] FAST_IDLE = {"-Dupshot.timer.idle.settle.millis=1000",
        "-Dupshot.timer.idle.cap.millis=4000"};

    @TempDir
    Path work;

    /** A daemon over {@code work/NAME} with every plugin, a state directory shared by the test's daemons, quick idle. */
    private DaemonProcess boot(String name) throws IOException {
        Path state = work.resolve("state");
        DaemonProcess daemon = DaemonProcess.start(work.resolve(name),
                builder -> builder.environment("XDG_STATE_HOME", state.toString()).javaOptions(FAST_IDLE));
        daemon.awaitLog("started in session mode");
        return daemon;
    }

    /** A task that appends {@code $TIME MISSED-or-0 NANOS-since-epoch} to {@code out} at each fire. */
    private static String recordingTask(String stanza, Path out) {
        return stanza + "\ntask\nscript\n  echo \"$TIME ${MISSED:-0} $(date +%s%N)\" >> " + out + "\nend script\n";
    }

    /** The lines {@link #recordingTask} wrote, each split in its three fields. */
    private static List<String[]> fires(Path out) {
        try {
            return Files.readAllLines(out).stream().map(line -> line.split(" ")).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @Timeout(150)
    void timersFireSkipOverlapsAndIdleStartsANicedRunInTheRealFramework() throws Exception {
        Path tick = work.resolve("tick.out");
        Path once = work.resolve("once.out");
        // a line for the coming minute (the next, when it is under 8 s away: the daemon boots
        // first) that names today in both day fields: both of its Quartz expressions name that minute
        ZonedDateTime now = ZonedDateTime.now();
        ZonedDateTime slot = now.truncatedTo(ChronoUnit.MINUTES).plusMinutes(now.getSecond() < 52 ? 1 : 2);
        String line = slot.getMinute() + " " + slot.getHour() + " " + slot.getDayOfMonth() + " * "
                + slot.getDayOfWeek().getValue() % 7;
        try (DaemonProcess daemon = boot("daemon")) {
            daemon.job("tick", recordingTask("every 1s", tick));
            daemon.job("once", recordingTask("cron \"" + line + "\"", once));
            daemon.job("slow", "every 1s\ntask\nexec sleep 3\n");
            daemon.job("idler", "start on idle\nexec sleep 1000\n");

            // every 1s: 3 to 6 runs within 4.5 s of the first, by the runs' own clocks
            Await.until(WAIT, () -> fires(tick).size() > 1 && nanos(last(fires(tick))) - nanos(fires(tick).get(0))
                    >= 5_000_000_000L, () -> "5 s of tick runs: " + fires(tick).size() + "\n" + daemon.logTail());
            long first = nanos(fires(tick).get(0));
            long inWindow = fires(tick).stream().filter(fire -> nanos(fire) - first < 4_500_000_000L).count();
            assertTrue(inWindow >= 3 && inWindow <= 6, inWindow + " runs in 4.5 s");

            // a fire while slow's run (3 s) still goes is skipped and counted, not queued
            Await.until(WAIT, () -> status(daemon, "slow").matches("(?s).*timer every 1s: next \\S+, [2-9]\\d* fires"
                    + " skipped while a run was going.*"), () -> status(daemon, "slow"));

            // idle: once, and its run is background work
            long idler = daemon.awaitRunning("idler");
            assertEquals(10, ProcTable.process(idler).nice(), "nice of the run idle started");
            assertEquals("idle", IoClass.of(idler));
            assertTrue(ProcTable.environ(idler).contains("UPSTART_EVENTS=idle"));

            // the crontab line fires once, at its minute, punctually
            Await.until(Duration.ofSeconds(140), () -> !fires(once).isEmpty(), () -> "cron " + line + " fired; log:\n"
                    + daemon.logTail());
            String[] fire = fires(once).get(0);
            assertEquals(slot.toInstant(), OffsetDateTime.parse(fire[0]).toInstant(), "TIME is the slot");
            assertEquals("0", fire[1], "a punctual fire is no catch-up");
            Await.until(WAIT, () -> Instant.now().isAfter(slot.toInstant().plusSeconds(3)), () -> "clock past the slot");
            assertEquals(1, fires(once).size(), "fires of the either-day line " + line);

            assertEquals("ACTIVE", daemon.bundleState("quartz"));
            assertEquals(1, count(daemon.log(), "emitted idle"), "idle comes once");
            assertFalse(daemon.log().contains("NoClassDefFoundError") || daemon.log().contains("SLF4J"),
                    "Quartz logged through slf4j without a hitch:\n" + daemon.logTail());
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @Timeout(90)
    void aPersistentTimerCatchesUpExactlyOnceAcrossARestart() throws Exception {
        Path keeper = work.resolve("keeper.out");
        String job = recordingTask("every 2s persistent", keeper);
        String lastTime;
        try (DaemonProcess daemon = boot("before")) {
            daemon.job("keeper", job);
            Await.until(WAIT, () -> !fires(keeper).isEmpty(), daemon::logTail);
            lastTime = last(fires(keeper))[0];
        }
        int before = fires(keeper).size();
        // down for at least two slots
        Instant due = OffsetDateTime.parse(lastTime).toInstant().plusMillis(4_500);
        Await.until(WAIT, () -> Instant.now().isAfter(due), () -> "two slots passed while down");
        try (DaemonProcess daemon = boot("after")) {
            daemon.job("keeper", job);
            Await.until(WAIT, () -> fires(keeper).size() >= before + 2, daemon::logTail);
            List<String[]> after = fires(keeper).subList(before, fires(keeper).size());
            assertTrue(Integer.parseInt(after.get(0)[1]) >= 1, "the first fire catches up: " + String.join(" ",
                    after.get(0)));
            assertTrue(after.stream().skip(1).allMatch(fire -> fire[1].equals("0")), "only once");
            assertTrue(status(daemon, "keeper").contains("timer every 2s persistent: next "), status(daemon, "keeper"));
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @Timeout(120)
    void theCupsExampleStartsOnIdleOnItsSocketAndOnItsQueue() throws Exception {
        Path cups = work.resolve("cups");
        String text = Files.readString(DaemonProcess.DISTRO.resolve("examples/cups.conf"))
                .replace("/tmp/upshot-cups", cups.toString());
        try (DaemonProcess daemon = boot("daemon")) {
            daemon.job("cups", text);

            // at idle after boot, in the background
            long pid = daemon.awaitRunning("cups");
            assertEquals("idle", startingEvents(pid));
            assertEquals(10, ProcTable.process(pid).nice());
            daemon.stopJob("cups");
            daemon.awaitStopped("cups");

            // on demand: a client waits in the backlog until the spooler answers
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(cups.resolve("cups.sock")));
                    BufferedReader reply = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                            StandardCharsets.UTF_8))) {
                assertEquals("cups stand-in ready", reply.readLine());
            }
            pid = daemon.awaitRunning("cups");
            assertEquals("socket", startingEvents(pid));
            assertEquals(0, ProcTable.process(pid).nice(), "a run on demand is not background work");
            daemon.stopJob("cups");
            daemon.awaitStopped("cups");

            // a print job in the queue
            Path queued = Files.writeString(Files.createDirectories(cups.resolve("spool")).resolve("job1"), "print me");
            pid = daemon.awaitRunning("cups");
            assertEquals("file", startingEvents(pid));
            Path log = daemon.logDir().resolve("cups.log");
            Await.until(WAIT, () -> Files.notExists(queued) && read(log).contains("printing job1"), () -> read(log));
        }
    }

    /**
     * {@code UPSTART_EVENTS} of the spooler {@code pid}, read once it runs python: posix_spawn
     * returns before the child has exec'd, and the set-up preamble (nice, I/O class) and the
     * job's script run before python does.
     */
    private static String startingEvents(long pid) throws IOException {
        Await.until(WAIT, () -> {
            ProcTable.Proc proc = ProcTable.process(pid);
            return proc != null && proc.command().startsWith("python");
        }, () -> "the spooler " + pid + " to run python: " + ProcTable.process(pid));
        return ProcTable.environ(pid).stream().filter(entry -> entry.startsWith("UPSTART_EVENTS="))
                .map(entry -> entry.substring("UPSTART_EVENTS=".length())).findFirst().orElse("");
    }

    private static long nanos(String[] fire) {
        return Long.parseLong(fire[2]);
    }

    private static String[] last(List<String[]> fires) {
        return fires.get(fires.size() - 1);
    }

    private static String status(DaemonProcess daemon, String job) {
        try {
            return daemon.initctl("status", job).output();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }
}
