package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The plugin directory is watched: jars come and go while the daemon runs. */
class PluginDirectoryIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path work;

    @Test
    @Timeout(90)
    void removedPluginIsUninstalledAndReinstalledWhenPutBack() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(work)) {
            daemon.awaitLog("started in session mode", WAIT);
            daemon.awaitBundle("org.upshot.source-files", "ACTIVE", WAIT);

            Path jar = daemon.pluginDir.resolve("source-files-0.1.0.jar");
            Path kept = Files.move(jar, work.resolve("source-files-0.1.0.jar"));
            daemon.awaitBundle("org.upshot.source-files", null, WAIT);
            daemon.awaitLog("plugin org\\.upshot\\.source-files 0\\.1\\.0 \\[\\d+\\] removed: stopped and uninstalled", WAIT);

            TestBundles.dropInto(daemon.pluginDir, kept);
            daemon.awaitBundle("org.upshot.source-files", "ACTIVE", WAIT);
            assertEquals("ACTIVE", daemon.bundleState("org.upshot.engine-bundle"));
            assertTrue(daemon.isAlive());
        }
    }

    @Test
    @Timeout(90)
    void replacedPluginIsUpdatedInPlace() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(work)) {
            daemon.awaitLog("started in session mode", WAIT);
            daemon.awaitBundle("org.upshot.source-timer", "ACTIVE", WAIT);
            Path jar = daemon.pluginDir.resolve("source-timer-0.1.0.jar");
            Path copy = Files.copy(jar, work.resolve("source-timer-0.1.0.jar"));
            Files.setLastModifiedTime(copy, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));

            TestBundles.dropInto(daemon.pluginDir, copy);
            daemon.awaitLog("updated org\\.upshot\\.source-timer 0\\.1\\.0 \\[\\d+\\]", WAIT);
            daemon.awaitBundle("org.upshot.source-timer", "ACTIVE", WAIT);
        }
    }
}
