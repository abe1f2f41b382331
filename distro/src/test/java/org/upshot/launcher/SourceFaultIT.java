package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.Await;
import org.upshot.daemon.DaemonSettings;
import org.upshot.launcher.faulty.FaultySource;
import org.upshot.launcher.faulty.FaultySource.Fault;
import org.upshot.testkit.BootedDaemon;

/**
 * Sources that throw, hang or flood, in the booted daemon: each is disabled with one log
 * line naming it and its bundle, while jobs start, {@code initctl} answers, a healthy
 * source goes on, and SIGTERM still stops the daemon cleanly.
 */
class SourceFaultIT {
    private static final Duration WAIT = BootedDaemon.WAIT;
    /** A short call timeout, so that a hang is declared within the test. */
    private static final String CALL_TIMEOUT = "-D" + DaemonSettings.SOURCE_CALL_TIMEOUT_MILLIS + "=1000";
    private static final String STEADY = "start on startup\nexec sleep 600\n";

    @TempDir
    Path work;

    /** The whole line the engine logs about source {@code name} of test bundle {@code name}: {@code NAME WHY}. */
    private static String sourceLine(String name, String why) {
        return "^\\S+ ERROR SourceHost: " + Pattern.quote("event source " + name + " from bundle org.upshot.test."
                + name + " " + why) + "$";
    }

    /** A daemon with the short call timeout, these plugins and job {@code steady}, started on {@code startup}. */
    private BootedDaemon.Builder daemon(Path... plugins) {
        return BootedDaemon.in(work.resolve("daemon")).javaOptions(CALL_TIMEOUT).plugins(plugins).job("steady", STEADY);
    }

    private Path faulty(String name, Fault fault) throws IOException {
        return TestBundles.faultySource(Files.createDirectories(work.resolve("faulty")), name, fault);
    }

    @Test
    @Timeout(90)
    void sourcesThatThrowOrHangInStartAreDisabledWhileJobsStartAndInitctlAnswers() throws Exception {
        // One source throws in start, one never returns from it, one is healthy: the first two are disabled.
        try (BootedDaemon daemon = daemon(faulty("thrower", Fault.THROW_IN_START),
                faulty("sleeper", Fault.HANG_IN_START), BootedDaemon.distroPlugin("example-tick-source"))
                .job("ticking", "start on tick PERIOD=1 COUNT!=0\nexec sleep 600\n")
                .job("on-go", "start on go\nexec sleep 600\n")
                .boot()) {
            daemon.awaitLog(sourceLine("thrower", "failed in start; it is disabled: IllegalStateException: "
                    + FaultySource.MESSAGE));
            daemon.awaitLog("^java\\.lang\\.IllegalStateException: " + FaultySource.MESSAGE + "$");
            daemon.awaitLog(sourceLine("sleeper", "did not return from start within 1000 ms; it is disabled"));

            // The sleeper's start is still stuck on its thread: the daemon goes on regardless.
            long steady = daemon.awaitRunning("steady");
            daemon.awaitRunning("ticking");
            CommandResult status = CommandResult.initctl(daemon, "status", "steady");
            assertEquals("steady start/running, process " + steady + "\n", status.output());
            daemon.emit("go");
            assertTrue(daemon.runningPid("on-go").isPresent(), daemon.describe("on-go"));
            daemon.job("later", "exec sleep 600\n");
            Await.until(WAIT, () -> daemon.isStopped("later"), () -> "later loaded; log:\n" + daemon.logTail());
            daemon.startJob("later");
            assertTrue(daemon.runningPid("later").isPresent(), daemon.describe("later"));
            assertEquals(steady, daemon.runningPid("steady").orElse(0L));

            assertEquals(0, daemon.stop(WAIT), daemon.logTail());
            assertTrue(daemon.logLine("framework stopped; exiting with status 0", 0).isPresent(), daemon.logTail());
        }
    }

    @Test
    @Timeout(90)
    void aSourceThatHangsInStopIsDisabledAndNeitherUnloadNorShutdownWaitsForIt() throws Exception {
        // Two sources never return from stop: one is unloaded while the daemon runs, one stopped by SIGTERM.
        try (BootedDaemon daemon = daemon(faulty("unloaded", Fault.HANG_IN_STOP),
                faulty("lingering", Fault.HANG_IN_STOP)).boot()) {
            long steady = daemon.awaitRunning("steady");
            daemon.awaitLog("SourceHost: event source lingering from bundle org\\.upshot\\.test\\.lingering started$");

            // Unloaded while the daemon runs: stop hangs, is declared so, and the plugin still goes.
            daemon.removePlugin("unloaded.jar");
            daemon.awaitLog(sourceLine("unloaded", "did not return from stop within 1000 ms; it is disabled"));
            assertEquals(steady, daemon.runningPid("steady").orElse(0L));
            assertEquals(0, CommandResult.initctl(daemon, "status", "steady").status());

            // Still loaded at SIGTERM: its stop hangs during shutdown, which goes on without it.
            assertEquals(0, daemon.stop(WAIT), daemon.logTail());
            String lingering = sourceLine("lingering", "did not return from stop within 1000 ms; it is disabled");
            assertTrue(daemon.logLine(lingering, 0).isPresent(), daemon.logTail());
            assertTrue(daemon.logLine("framework stopped; exiting with status 0", 0).isPresent(), daemon.logTail());
        }
    }

    @Test
    @Timeout(90)
    void aFloodingSourceLosesWhatIsOverItsLimitThenIsDisabledWhileTheOthersGoOn() throws Exception {
        // 50 events a second, 200 at once: the flooder gets its burst, loses as many, and is disabled.
        try (BootedDaemon daemon = daemon(faulty("flooder", Fault.FLOOD), BootedDaemon.distroPlugin("example-tick-source"))
                .javaOptions("-D" + DaemonSettings.SOURCE_EVENT_LIMIT + "=50/200")
                .job("ticking", "start on tick PERIOD=1 COUNT!=0\nexec sleep 600\n")
                .boot()) {
            daemon.awaitLog("^\\S+ WARN +SourceHost: " + Pattern.quote("event source flooder from bundle "
                    + "org.upshot.test.flooder emits over its limit of 50/s, burst 200; its events are dropped "
                    + "until it slows down") + "$");
            daemon.awaitLog(sourceLine("flooder", "flooded the engine: 200 events over its limit of 50/s, burst 200;"
                    + " it is disabled"));
            long steady = daemon.awaitRunning("steady");
            daemon.awaitRunning("ticking");

            CommandResult sources = CommandResult.initctl(daemon, "sources");
            assertEquals(0, sources.status(), sources.output());
            Matcher flooder = Pattern.compile("^flooder disabled \\(flooded the engine: [^)]*\\), (\\d+) events, 200 "
                    + "dropped \\(limit 50/s, burst 200\\) \\[org\\.upshot\\.test\\.flooder\\]$", Pattern.MULTILINE)
                    .matcher(sources.output());
            assertTrue(flooder.find(), sources.output());
            assertTrue(Long.parseLong(flooder.group(1)) >= 200, "its burst was taken: " + sources.output());
            assertTrue(Pattern.compile("^tick running, \\d+ events, 0 dropped ", Pattern.MULTILINE)
                    .matcher(sources.output()).find(), sources.output());
            assertEquals("steady start/running, process " + steady + "\n",
                    CommandResult.initctl(daemon, "status", "steady").output());
            assertEquals(0, daemon.stop(WAIT), daemon.logTail());
        }
    }
}
