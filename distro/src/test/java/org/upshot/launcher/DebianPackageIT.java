package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.Await;
import org.upshot.testkit.BootedDaemon;

/**
 * The Debian package the build makes (issue 19): {@code dpkg -i} installs it, the
 * installed {@code upshot --session} runs an example job and the installed
 * {@code upshot-initctl} reports it, and {@code dpkg -r} then {@code --purge} leave the
 * file system as it was. Root only: it installs into the real {@code /usr} and {@code /etc}.
 */
class DebianPackageIT {

    private static final Path DPKG = Path.of("/usr/bin/dpkg");
    /** Where the package puts files, or its programs may: compared before and after. */
    private static final List<Path> WATCHED = List.of(Path.of("/etc"), Path.of("/usr/bin"), Path.of("/usr/lib/upshot"),
            Path.of("/usr/share/man"), Path.of("/usr/share/doc"), Path.of("/usr/share/bash-completion"),
            Path.of("/var/lib/upshot"), Path.of("/var/log/upshot"), Path.of("/run/upshot"));

    @TempDir
    Path work;

    @Test
    @Timeout(180)
    void installRunAndRemoveLeaveNothingBehind() throws Exception {
        Assumptions.assumeTrue(ProcTable.runningAsRoot(), "DebianPackageIT skipped: dpkg -i needs root");
        Prerequisites.requireInstalled(DebianPackageIT.class, "dpkg", DPKG);
        Path deb = BootedDaemon.distro().resolveSibling("upshot_0.1.0_all.deb");
        assertTrue(Files.isRegularFile(deb), deb + " (built with -Dupshot.deb.skip=true?)");
        assertTrue(CommandResult.run("dpkg", "-s", "upshot").status() != 0,
                "upshot is installed already: dpkg --purge upshot first, this test installs its own");

        Set<String> before = files();
        try {
            CommandResult install = CommandResult.run("dpkg", "-i", deb.toString());
            assertEquals(0, install.status(), install.output());
            assertEquals("/usr/lib/upshot/bin/upshot", Path.of("/usr/bin/upshot").toRealPath().toString());
            assertTrue(Files.isRegularFile(Path.of("/etc/upshot/jvm.options")));
            assertEquals("/usr/lib/upshot/lib/ifupdown/upshot",
                    Path.of("/etc/network/if-up.d/upshot").toRealPath().toString(), "ifupdown's hook");
            assertTrue(Files.isRegularFile(Path.of("/usr/share/man/man8/upshot-initctl.8.gz")));
            assertTrue(!Files.exists(Path.of("/usr/bin/initctl")) || !Files.readSymbolicLink(Path.of("/usr/bin/initctl"))
                    .toString().contains("upshot"), "no initctl of ours in /usr/bin");

            runInstalledDaemon();

            CommandResult remove = CommandResult.run("dpkg", "-r", "upshot");
            assertEquals(0, remove.status(), remove.output());
            assertTrue(Files.isRegularFile(Path.of("/etc/upshot/jvm.options")), "remove keeps the conffile");
            assertTrue(!Files.exists(Path.of("/usr/lib/upshot")), "remove takes /usr/lib/upshot");
        } finally {
            CommandResult purge = CommandResult.run("dpkg", "--purge", "upshot");
            assertEquals(0, purge.status(), purge.output());
        }
        Set<String> after = files();
        Set<String> added = new TreeSet<>(after);
        added.removeAll(before);
        Set<String> removed = new TreeSet<>(before);
        removed.removeAll(after);
        assertEquals(Set.of(), added, "left behind");
        assertEquals(Set.of(), removed, "taken away");
    }

    /** upshot --session over a copy of two installed examples and a service; upshot-initctl asks. */
    private void runInstalledDaemon() throws Exception {
        Path conf = Files.createDirectories(work.resolve("conf"));
        for (String example : List.of("hello.conf", "worker.conf")) {
            Files.copy(Path.of("/usr/lib/upshot/examples", example), conf.resolve(example));
        }
        Files.writeString(conf.resolve("sleeper.conf"), "start on startup\nexec sleep 600\n");
        Path socket = work.resolve("run/control.sock");
        Map<String, String> environment = Map.of("UPSHOT_SOCKET", socket.toString(),
                "XDG_STATE_HOME", work.resolve("state").toString(), "XDG_CACHE_HOME", work.resolve("cache").toString(),
                "XDG_CONFIG_HOME", work.resolve("config").toString(), "JAVA_HOME", System.getProperty("java.home"));
        ProcessBuilder builder = new ProcessBuilder("env", "--default-signal", "/usr/bin/upshot", "--session",
                "--confdir", conf.toString(), "--runtime-dir", work.resolve("run").toString(), "--log-dir",
                work.resolve("log").toString()).redirectErrorStream(true).redirectOutput(work.resolve("upshot.log").toFile());
        builder.environment().putAll(environment);
        Process daemon = builder.start();
        try {
            Await.until(BootedDaemon.WAIT, () -> status(environment, "sleeper").output().startsWith("sleeper start/running"),
                    () -> "sleeper running; daemon log:\n" + log());
            CommandResult sleeper = status(environment, "sleeper");
            assertTrue(Pattern.matches("sleeper start/running, process \\d+\n", sleeper.output()), sleeper.output());
            Await.until(BootedDaemon.WAIT, () -> status(environment, "hello").output().equals("hello stop/waiting\n"),
                    () -> "hello to have run; daemon log:\n" + log());
            String hello = Files.readString(work.resolve("log/hello.log"));
            assertTrue(hello.contains("hello from hello, started by startup"), hello);

            // an init.d link to Upstart's helper drives the job of its name through the installed client
            Path initd = Files.createSymbolicLink(Files.createDirectories(work.resolve("init.d")).resolve("sleeper"),
                    Path.of("/lib/init/upstart-job"));
            CommandResult stopped = CommandResult.run(environment, List.of(initd.toString(), "stop"));
            assertEquals("sleeper stop/waiting\n", stopped.output());
            CommandResult started = CommandResult.run(environment, List.of(initd.toString(), "start"));
            assertTrue(Pattern.matches("sleeper start/running, process \\d+\n", started.output()), started.output());
            CommandResult usage = CommandResult.run(environment, List.of(initd.toString(), "bounce"));
            assertEquals(1, usage.status(), usage.output());
            // AppArmor off (or no parser): loading a profile succeeds doing nothing
            CommandResult apparmor = CommandResult.run("/lib/init/apparmor-profile-load", "usr.sbin.cupsd");
            assertEquals(0, apparmor.status(), apparmor.output());
        } finally {
            daemon.destroy(); // SIGTERM: the daemon stops its jobs and exits
            assertTrue(daemon.waitFor(60, TimeUnit.SECONDS), "the daemon stopped on TERM");
        }
        assertEquals(0, daemon.exitValue(), log());
    }

    private static CommandResult status(Map<String, String> environment, String job) {
        try {
            return CommandResult.run(environment, List.of("/usr/bin/upshot-initctl", "status", job));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String log() {
        try {
            return Files.readString(work.resolve("upshot.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Every path below the watched directories. */
    private static Set<String> files() throws IOException {
        Set<String> files = new TreeSet<>();
        for (Path root : WATCHED) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.forEach(path -> files.add(path.toString()));
            }
        }
        return files;
    }
}
