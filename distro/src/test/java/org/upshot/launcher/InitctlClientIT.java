package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.BootedDaemon;

/**
 * What keeps {@code initctl}'s start short (issue 18), as the distribution runs it: its
 * own native socket (lib/native) instead of the JDK's Unix channel, whose first use seeds
 * a SecureRandom, and the client's class-data archive that the build trained (lib/cds).
 * On the newer JDKs the machine has, initctl says its answer and nothing else.
 */
class InitctlClientIT {
    private static final Path JVMS = Path.of("/usr/lib/jvm");
    private static final Pattern FEATURE = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");
    /** From JDK 24 on, loading a JNI library warns unless native access was granted (JEP 472). */
    private static final int WARNS_OF_NATIVE_ACCESS = 24;

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
            // "(top)" on JDK 17, a dynamic archive; none on 25, an AOT cache; an Upshot class is
            // in no archive of the JDK's own
            assertTrue(said.contains("org.upshot.ctl.Initctl source: shared objects file"),
                    "the client's own archive was used");
            assertEquals(0, daemon.stop(BootedDaemon.WAIT), daemon.logTail());
        }
    }

    @Test
    @Timeout(90)
    void statusSaysOnlyItsAnswerOnJdksThatWarnOfNativeAccess() throws Exception {
        List<Path> javas = javasFrom(WARNS_OF_NATIVE_ACCESS);
        if (javas.isEmpty()) {
            Prerequisites.skip(InitctlClientIT.class, "no JDK " + WARNS_OF_NATIVE_ACCESS + "+ under " + JVMS);
        }
        try (BootedDaemon daemon = BootedDaemon.in(work).job("steady", "start on startup\nexec sleep 600\n").boot()) {
            long pid = daemon.awaitRunning("steady");
            for (Path java : javas) {
                CommandResult status = CommandResult.initctl(daemon, Map.of("UPSHOT_JAVA", java.toString()),
                        "status", "steady");
                assertEquals(0, status.status(), status.output());
                assertEquals("steady start/running, process " + pid + "\n", status.output(), "with " + java);
            }
            assertEquals(0, daemon.stop(BootedDaemon.WAIT), daemon.logTail());
        }
    }

    /** The java of every JDK under /usr/lib/jvm whose release file says feature {@code feature} or later. */
    private static List<Path> javasFrom(int feature) throws IOException {
        if (!Files.isDirectory(JVMS)) {
            return List.of();
        }
        try (Stream<Path> homes = Files.list(JVMS)) {
            return homes.filter(home -> !Files.isSymbolicLink(home) && Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> featureOf(home) >= feature).sorted().map(home -> home.resolve("bin/java")).toList();
        }
    }

    private static int featureOf(Path home) {
        try {
            Matcher version = FEATURE.matcher(Files.readString(home.resolve("release")));
            return version.find() ? Integer.parseInt(version.group(1)) : 0;
        } catch (IOException e) {
            return 0; // no release file: not a JDK this test can place
        }
    }
}
