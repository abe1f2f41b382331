package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.Await;

/**
 * A job that uses a plugin's stanza, in the booted distribution: started by the plugin's
 * real events, held back naming the plugin while its jar is gone, and started again by
 * the plugin once the jar is back. The engine knows the stanza only from the plugin.
 */
class PluginStanzaIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path work;

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Whether {@code initctl status JOB} says the daemon holds no such job. */
    private static boolean unknown(DaemonProcess daemon, String job) {
        try {
            return daemon.initctl("status", job).output().contains("Unknown job: " + job);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    @Timeout(120)
    void aJobWaitsForThePluginOfItsStanzaAndStartsWhenItArrives() throws Exception {
        Path beats = work.resolve("beats");
        try (DaemonProcess daemon = DaemonProcess.start(work)) {
            daemon.job("beat", """
                    tick 1
                    task
                    exec sh -c 'echo "$COUNT" >> %s'
                    """.formatted(beats));
            daemon.awaitLog("started in session mode");
            Await.until(WAIT, () -> lines(beats).size() >= 2, () -> "two ticks; log:\n" + daemon.log());

            Path jar = daemon.pluginDir().resolve("example-tick-source-0.1.0.jar");
            // the same line may have been logged at boot, before the plugin was active
            int mark = daemon.logMark();
            Path kept = Files.move(jar, work.resolve(jar.getFileName()));
            daemon.awaitBundle("org.upshot.example-tick-source", null, WAIT);
            daemon.awaitLog("beat\\.conf:1:1: stanza 'tick' needs plugin tick, which is not active", mark);
            // the loader logs the line before the engine has dropped the job
            Await.until(WAIT, () -> unknown(daemon, "beat"), () -> "held back: " + daemon.describe("beat"));
            int before = lines(beats).size();

            daemon.dropPlugin(kept);
            daemon.awaitBundle("org.upshot.example-tick-source", "ACTIVE", WAIT);
            Await.until(WAIT, () -> lines(beats).size() >= before + 2,
                    () -> "ticks again once the plugin is back; log:\n" + daemon.log());
            // every run was started by a tick the plugin emitted: numbers, restarting at 0
            assertTrue(lines(beats).stream().allMatch(line -> line.matches("\\d+")), lines(beats).toString());
            assertTrue(lines(beats).subList(before, lines(beats).size()).contains("0"),
                    "the plugin came back with a fresh clock: " + lines(beats));
        }
    }
}
