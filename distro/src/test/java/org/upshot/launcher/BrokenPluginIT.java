package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.launcher.broken.BrokenActivator;

/** Plugins that cannot run are reported and left stopped; the daemon goes on. */
class BrokenPluginIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path work;

    @Test
    @Timeout(60)
    void pluginWhoseActivatorThrowsIsReportedAndLeftStopped() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(work)) {
            daemon.awaitLog("started in session mode");
            TestBundles.broken(daemon.pluginDir().resolve("broken-plugin.jar"));

            daemon.awaitLog("bundle org\\.upshot\\.test\\.broken 1\\.0\\.0 \\[\\d+\\] failed to start, left stopped: .*"
                    + BrokenActivator.MESSAGE);
            daemon.awaitBundle("org.upshot.test.broken", "RESOLVED", WAIT);
            assertEquals("ACTIVE", daemon.bundleState("org.upshot.source-files"));

            // Still serving: the watcher goes on installing and removing plugins.
            Path tick = daemon.pluginDir().resolve("example-tick-source-0.1.0.jar");
            Path kept = Files.move(tick, work.resolve(tick.getFileName()));
            daemon.awaitBundle("org.upshot.example-tick-source", null, WAIT);
            daemon.dropPlugin(kept);
            daemon.awaitBundle("org.upshot.example-tick-source", "ACTIVE", WAIT);
            assertTrue(daemon.isAlive());
            assertEquals(0, daemon.stop(WAIT), daemon.log());
        }
    }

    @Test
    @Timeout(60)
    void jarThatIsNotABundleIsReportedAndTheRestStarts() throws Exception {
        Files.writeString(Files.createDirectories(work.resolve("plugins")).resolve("garbage.jar"), "not a zip file");
        try (DaemonProcess daemon = DaemonProcess.start(work)) {
            daemon.awaitLog("started in session mode");
            daemon.awaitLog("ERROR launcher: cannot install .*garbage\\.jar");
            daemon.awaitBundle("org.upshot.source-files", "ACTIVE", WAIT);
            daemon.awaitBundle("org.upshot.test.probe", "ACTIVE", WAIT);
        }
    }
}
