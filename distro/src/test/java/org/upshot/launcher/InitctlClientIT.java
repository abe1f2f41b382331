package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.BootedDaemon;

/**
 * What keeps {@code initctl}'s start short (issue 18), as the distribution runs it: its
 * own native socket (lib/native) instead of the JDK's Unix channel, whose first use seeds
 * a SecureRandom, and the client's class-data archive that the build trained (lib/cds).
 */
class InitctlClientIT {

    @TempDir
    Path work;

    @Test
    @Timeout(90)
    void statusTalksThroughTheNativeSocketWithTheClientsArchive() throws Exception {
        Path library = BootedDaemon.distro().resolve("lib/native/linux-" + System.getProperty("os.arch")
                + "/libupshot-ctl.so");
        Prerequisites.requireInstalled(InitctlClientIT.class, "gcc libc6-dev", Path.of("/usr/bin/cc"));
        assertTrue(Files.isRegularFile(library), library + " built, as cc is there");
        try (BootedDaemon daemon = BootedDaemon.in(work).job("steady", "start on startup\nexec sleep 600\n").boot()) {
            daemon.awaitRunning("steady");
            CommandResult status = CommandResult.initctl(daemon, Map.of("UPSHOT_JAVA_OPTS", "-Xlog:class+load"),
                    "status", "steady");
            assertEquals(0, status.status(), status.output());
            String said = status.output();
            assertTrue(said.contains("steady start/running"), said);
            assertTrue(said.contains("org.upshot.ctl.NativeUnixChannel"), "the native socket was used");
            assertFalse(said.contains("sun.nio.ch.UnixDomainSockets "), "the JDK's Unix channel was not loaded");
            assertTrue(said.contains("org.upshot.ctl.Initctl source: shared objects file (top)"),
                    "the client's own archive was used");
            assertEquals(0, daemon.stop(BootedDaemon.WAIT), daemon.logTail());
        }
    }
}
