package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.Await;

/** Boots the assembled distribution's real Felix with the real bundles. */
class DistroBootIT {
    private static final Duration BOOT = Duration.ofSeconds(30);

    @TempDir
    Path work;

    @Test
    @Timeout(60)
    void everyBundleIsActiveAndEveryComponentSatisfied() throws Exception {
        Set<String> expected = new TreeSet<>(symbolicNames(DaemonProcess.DISTRO.resolve("bundle")));
        expected.addAll(symbolicNames(DaemonProcess.DISTRO.resolve("plugins")));
        expected.add("org.upshot.test.probe");
        try (DaemonProcess daemon = DaemonProcess.start(work)) {
            daemon.awaitLog("started in session mode");
            Await.until(BOOT, () -> activeBundles(daemon.report()).containsAll(expected),
                    () -> "all of " + expected + " ACTIVE; report:\n" + String.join("\n", daemon.report()));
            List<String> components = daemon.report().stream().filter(line -> line.startsWith("component ")).toList();
            assertTrue(components.stream().anyMatch(line -> line.startsWith("component org.upshot.engine-bundle ")),
                    "the engine's components are in SCR's report: " + components);
            for (String component : components) {
                assertTrue(component.endsWith(" SATISFIED") || component.endsWith(" ACTIVE"),
                        "component not satisfied: " + component + "\nlog:\n" + daemon.log());
            }
            assertEquals(0, daemon.stop(BOOT), daemon.log());
            assertTrue(daemon.log().contains("framework stopped; exiting with status 0"), daemon.log());
        }
    }

    @Test
    @Timeout(60)
    void daemonSettingsReachTheBundlesAsFrameworkProperties() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(work)) {
            daemon.awaitLog("started in session mode");
            // The probe writes its report into upshot.runtime.dir: the property arrived.
            daemon.awaitBundle("org.upshot.test.probe", "ACTIVE", BOOT);
            assertTrue(Files.isDirectory(daemon.logDir()), "log directory created");
            assertTrue(Files.isDirectory(daemon.runtimeDir().resolve("felix-cache")), "bundle cache in the runtime dir");
        }
    }

    @Test
    void theDistributionKnowsItsSystemPackagesWithoutReadingItsJars() {
        Map<String, String> packages = FrameworkProperties.precomputed(
                DaemonProcess.DISTRO.resolve("lib").resolve(FrameworkProperties.SYSTEM_PACKAGES_FILE))
                .orElseThrow(() -> new AssertionError("lib/system-packages missing or not of lib's jars"));
        assertTrue(packages.keySet().containsAll(List.of("jnr.posix", "jnr.ffi", "com.kenai.jffi", "sun.misc")),
                packages.toString());
        assertTrue(packages.get("org.slf4j").startsWith("2."), "org.slf4j at its jar's version: " + packages);
    }

    @Test
    @Timeout(60)
    void distributionHoldsScriptsBundlesPluginsAndExamples() throws IOException {
        Path distro = DaemonProcess.DISTRO;
        assertTrue(Files.isExecutable(distro.resolve("bin/upshot")));
        assertEquals(Set.of("org.apache.felix.scr", "org.osgi.service.component", "org.osgi.util.promise",
                "org.osgi.util.function", "org.upshot.kernel-bundle", "org.upshot.engine-bundle", "quartz"),
                symbolicNames(distro.resolve("bundle")));
        assertTrue(Files.isRegularFile(distro.resolve("lib/slf4j-api.jar")) && Files.isRegularFile(distro.resolve(
                "lib/slf4j-jdk14.jar")), "slf4j and its provider on the framework class path, for Quartz");
        assertTrue(symbolicNames(distro.resolve("plugins")).contains("org.upshot.source-files"),
                "the files source is a plugin");
        try (Stream<Path> examples = Files.list(distro.resolve("examples"))) {
            assertTrue(examples.anyMatch(file -> file.toString().endsWith(".conf")), "example jobs");
        }
        if (Files.exists(distro.resolve("bin/initctl"))) {
            for (String alias : List.of("start", "stop", "restart", "reload", "status", "emit")) {
                assertEquals(Path.of("initctl"), Files.readSymbolicLink(distro.resolve("bin").resolve(alias)));
            }
        }
        Path tarball = distro.resolveSibling(distro.getFileName() + ".tar.gz");
        assertTrue(Files.size(tarball) > 1_000_000, "tarball with Felix and jnr inside");
    }

    @Test
    @Timeout(30)
    void badFlagIsRefusedWithStatusTwo() throws Exception {
        CommandResult run = CommandResult.run(DaemonProcess.DISTRO.resolve("bin/upshot").toString(), "--no-such-flag");
        assertEquals(2, run.status());
        assertTrue(run.output().contains("upshot: unknown option --no-such-flag"), run.output());
    }

    @Test
    @Timeout(30)
    void checkConfigParsesPluginStanzasWithThePluginsOwnJars(@TempDir Path jobs) throws Exception {
        // the jars in plugins/ check their own stanzas offline, exactly as in the daemon.
        Files.writeString(jobs.resolve("beat.conf"), "task\ntick soon\nexec true\n");
        Files.writeString(jobs.resolve("spool.conf"), "watch /var/spool sideways\nexec true\n");
        Files.writeString(jobs.resolve("nightly.conf"), "task\ncron \"0 25 * * *\"\nexec true\n");
        Files.writeString(jobs.resolve("often.conf"), "every 5x\nexec true\n");
        Files.writeString(jobs.resolve("fine.conf"), "tick 5\nwatch /var/spool nonempty\nevery 1h30m persistent\n"
                + "cron @daily\nexec true\n");
        CommandResult run = CommandResult.run(DaemonProcess.DISTRO.resolve("bin/upshot").toString(), "check-config",
                "--confdir", jobs.toString());
        assertEquals(1, run.status(), run.output());
        assertEquals(jobs.resolve("beat.conf") + ":2:6: stanza 'tick': tick: 'soon' is not a whole number of seconds"
                + " from 1\n" + jobs.resolve("nightly.conf") + ":2:9: stanza 'cron': cron: hour: 25 is out of range 0-23\n"
                + jobs.resolve("often.conf") + ":1:7: stanza 'every': every: '5x' is not a duration: expected numbers"
                + " with units d, h, m, s, largest first, such as 30s, 5m, 1h30m or 1d\n" + jobs.resolve("spool.conf") + ":1:18: stanza 'watch': watch: unknown condition"
                + " 'sideways', expected created, modified, deleted or nonempty", run.output().strip());
    }

    @Test
    @Timeout(30)
    void checkConfigRunsOfflineAndFindsTheExamplesClean() throws Exception {
        CommandResult run = CommandResult.run(DaemonProcess.DISTRO.resolve("bin/upshot").toString(), "check-config",
                "--confdir", DaemonProcess.DISTRO.resolve("examples").toString());
        assertEquals(0, run.status(), run.output());
        assertEquals("", run.output().strip(), "no diagnostics for examples/");
    }

    @Test
    @Timeout(30)
    void versionIsPrinted() throws Exception {
        CommandResult run = CommandResult.run(DaemonProcess.DISTRO.resolve("bin/upshot").toString(), "--version");
        assertEquals(0, run.status(), run.output());
        assertEquals("upshot 0.1.0", run.output().strip());
    }

    private static Set<String> activeBundles(List<String> report) {
        Set<String> active = new TreeSet<>();
        for (String line : report) {
            String[] words = line.split(" ");
            if (words[0].equals("bundle") && words[2].equals("ACTIVE")) {
                active.add(words[1]);
            }
        }
        return active;
    }

    static Set<String> symbolicNames(Path directory) throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> jars = Files.list(directory)) {
            for (Path jar : jars.filter(file -> file.toString().endsWith(".jar")).toList()) {
                try (JarFile file = new JarFile(jar.toFile())) {
                    String name = file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
                    names.add(name.split(";")[0].trim());
                }
            }
        }
        return names;
    }
}
