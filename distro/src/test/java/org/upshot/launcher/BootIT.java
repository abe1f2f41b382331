package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.Await;

/**
 * The boot and shutdown sequence (issue 17): the distribution's boot jobs as PID 1 of a
 * PID namespace in a network namespace of its own, which holds lo and one end of a real
 * veth pair, both up. No event is emitted by hand: jobs waiting for {@code runlevel},
 * {@code filesystem}, {@code local-filesystems}, {@code net-device-up IFACE=...} come up,
 * a SysV script in the rc directory is started by {@code rc}; {@code telinit},
 * {@code runlevel} and {@code shutdown} do what Upstart's did, and PID 1 ends as the
 * kernel ends a namespace whose init calls {@code reboot(2)}.
 */
class BootIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A PID namespace's init ended by reboot(2): killed by SIGHUP to reboot, SIGINT to halt or power off. */
    private static final int REBOOTED = 128 + 1;
    private static final int POWERED_OFF = 128 + 2;
    /** What the namespace's PID 1 is told it is, as a container runtime tells its init. */
    private static final String CONTAINER = "upshot-test";

    @TempDir
    Path work;

    @RegisterExtension
    final NamespaceMachine machine = new NamespaceMachine();
    private Path rcDir;
    private Path sysvLog;

    @Test
    @Timeout(300)
    void bootsWithoutAHandEmittedEventChangesRunlevelAndPowersOff() throws Exception {
        try (DaemonProcess daemon = boot(Map.of())) {
            for (String job : List.of("on-runlevel", "on-filesystem", "on-local", "on-lo", "on-veth", "on-proc",
                    "in-container")) {
                daemon.awaitRunning(job);
            }
            assertEquals("N 2", tool(daemon, "runlevel"));
            String log = daemon.log();
            for (String event : List.of("container CONTAINER=" + CONTAINER, "mounted MOUNTPOINT=/proc TYPE=proc",
                    "virtual-filesystems", "local-filesystems", "remote-filesystems", "all-swaps", "filesystem",
                    "net-device-up IFACE=lo LOGICAL=lo ADDRFAM=inet METHOD=loopback",
                    "net-device-up IFACE=" + machine.nsEnd + " LOGICAL=" + machine.nsEnd + " ADDRFAM=inet METHOD=static",
                    "static-network-up", "runlevel RUNLEVEL=2 PREVLEVEL=N")) {
                assertTrue(log.contains("Handling " + event + " event"), "event " + event + " emitted; log:\n"
                        + daemon.logTail());
            }
            assertTrue(order(log, "Handling virtual-filesystems", "Handling local-filesystems",
                    "Handling remote-filesystems", "Handling filesystem", "Handling runlevel RUNLEVEL=2"), log);

            // rc started the SysV script of runlevel 2, whose name no job has
            Await.until(WAIT, () -> sysvLines().equals(List.of("start")), () -> "rc to start sysv-demo: " + sysvLines());
            long first = sysvPid();
            assertTrue(aliveInNamespace(daemon, first), "sysv-demo runs");

            // telinit 1: what stops on runlevel [!2345] stops, and rc1.d's K script runs
            long onRunlevel = daemon.awaitRunning("on-runlevel");
            assertEquals(0, NamespaceMachine.tool(daemon, "telinit", "1").status());
            daemon.awaitStopped("on-runlevel");
            Await.until(WAIT, () -> sysvLines().equals(List.of("start", "stop")), () -> "rc to stop sysv-demo");
            Await.until(WAIT, () -> !aliveInNamespace(daemon, first), () -> "sysv-demo's daemon to end");
            assertEquals("2 1", tool(daemon, "runlevel"));
            assertEquals(daemon.runningPid("on-filesystem"), daemon.runningPid("on-filesystem"));

            // telinit 2 brings them back
            assertEquals(0, NamespaceMachine.tool(daemon, "telinit", "2").status());
            assertTrue(daemon.awaitRunning("on-runlevel") != onRunlevel, "on-runlevel started again");
            Await.until(WAIT, () -> sysvLines().equals(List.of("start", "stop", "start")), () -> "rc to start sysv-demo again");
            assertEquals("1 2", tool(daemon, "runlevel"));
            CommandResult illegal = NamespaceMachine.tool(daemon, "telinit", "7");
            assertEquals(1, illegal.status(), illegal.output());
            assertEquals("telinit: illegal runlevel: 7\n", illegal.output());

            // shutdown -h now: runlevel 0, rc0.d's K script, every job stopped, then the namespace ends
            int mark = daemon.logMark();
            CommandResult shutdown = NamespaceMachine.tool(daemon, "shutdown", "-h", "now");
            assertEquals(0, shutdown.status(), shutdown.output());
            assertTrue(daemon.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "PID 1 ends: " + daemon.logTail());
            assertEquals(POWERED_OFF, daemon.process().exitValue(), daemon.logTail());
            String down = daemon.log().substring(mark);
            assertTrue(down.contains("Handling runlevel RUNLEVEL=0 PREVLEVEL=2 INIT_HALT=POWEROFF event"), down);
            assertEquals(List.of("start", "stop", "start", "stop"), sysvLines());
            for (String job : List.of("on-filesystem", "on-lo", "on-veth", "on-local", "on-proc", "in-container")) {
                assertTrue(down.contains("Handling stopped JOB=" + job + " "), job + " stopped in order:\n" + down);
            }
            assertTrue(down.contains("asking the kernel to poweroff"), down);
            assertFalse(down.contains("killing the jobs still up"), down);
        }
    }

    /** A job that ignores SIGTERM with a long kill timeout is killed at the shutdown's deadline. */
    @Test
    @Timeout(180)
    void rebootKillsWhatIsStillUpAtTheDeadline() throws Exception {
        try (DaemonProcess daemon = boot(Map.of("stubborn", """
                start on runlevel [2345]
                kill timeout 600
                exec sh -c 'trap "" TERM; while :; do sleep 1; done'
                """))) {
            daemon.awaitRunning("stubborn");
            long begin = System.nanoTime();
            assertEquals(0, NamespaceMachine.tool(daemon, "reboot").status());
            assertTrue(daemon.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "PID 1 ends: " + daemon.logTail());
            long tookMillis = (System.nanoTime() - begin) / 1_000_000;
            assertEquals(REBOOTED, daemon.process().exitValue(), daemon.logTail());
            assertTrue(tookMillis < 30_000, "down in " + tookMillis + " ms, not at the kill timeout");
            String log = daemon.log();
            assertTrue(log.contains("Handling runlevel RUNLEVEL=6 PREVLEVEL=2 event"), log);
            assertTrue(log.contains("killing the jobs still up: stubborn"), log);
        }
    }

    /** SIGTERM, a container runtime's stop, stops every job and ends PID 1 with status 0. */
    @Test
    @Timeout(180)
    void sigtermStopsEveryJobAndExits() throws Exception {
        try (DaemonProcess daemon = boot(Map.of())) {
            daemon.awaitRunning("on-runlevel");
            Await.until(WAIT, () -> sysvLines().equals(List.of("start")), () -> "rc to start sysv-demo");
            assertEquals(0, daemon.stop(WAIT), daemon.logTail());
            String log = daemon.log();
            assertTrue(log.contains("Handling stopped JOB=on-runlevel "), log);
            assertFalse(log.contains("Handling runlevel RUNLEVEL=0"), "SIGTERM is no runlevel change:\n" + log);
        }
    }

    /** The jobs are in place before the daemon starts: the boot does not wait for a late one. */
    private DaemonProcess boot(Map<String, String> moreJobs) throws IOException {
        return DaemonProcess.startAsPid1(work, machine.launcher(), List.of(), options -> {
            // PID 1's container= is how a container runtime says what it is
            options.environment("UPSHOT_RC_DIR", rcDir.toString()).environment("container", CONTAINER)
                    .javaOptions("-Dupshot.shutdown.timeout.millis=5000")
                    .job("on-runlevel", "start on runlevel [2345]\nstop on runlevel [!2345]\nexec sleep 1000\n")
                    .job("on-filesystem", "start on filesystem\nexec sleep 1000\n")
                    .job("on-local", "start on local-filesystems and static-network-up\nexec sleep 1000\n")
                    .job("on-lo", "start on net-device-up IFACE=lo\nexec sleep 1000\n")
                    .job("on-veth", "start on net-device-up IFACE=" + machine.nsEnd + "\nexec sleep 1000\n")
                    .job("on-proc", "start on mounted MOUNTPOINT=/proc\nexec sleep 1000\n")
                    .job("in-container", "start on container\nexec sleep 1000\n");
            moreJobs.forEach(options::job);
            return options;
        });
    }

    /**
     * {@code init.d/sysv-demo}, linked as S20 in rc2.d, K20 in rc1.d and rc0.d: it runs a daemon
     * of its own, with a pid file, and logs each action once done (so a "start" line means
     * the pid file is there).
     */
    @BeforeEach
    void makeSysvScript() throws IOException {
        rcDir = Files.createDirectories(work.resolve("rc"));
        sysvLog = work.resolve("sysv-demo.log");
        Path script = Files.createDirectories(rcDir.resolve("init.d")).resolve("sysv-demo");
        Files.writeString(script, """
                #!/bin/sh
                case $1 in
                    start) setsid sleep 1000 < /dev/null > /dev/null 2>&1 & echo $! > %2$s ;;
                    stop) kill "$(cat %2$s)" ;;
                esac
                echo "$1" >> %1$s
                """.formatted(sysvLog, work.resolve("sysv-demo.pid")));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String link : List.of("rc2.d/S20sysv-demo", "rc1.d/K20sysv-demo", "rc0.d/K20sysv-demo")) {
            Path path = rcDir.resolve(link);
            Files.createDirectories(path.getParent());
            Files.createSymbolicLink(path, Path.of("../init.d/sysv-demo"));
        }
    }

    private List<String> sysvLines() {
        try {
            return Files.exists(sysvLog) ? Files.readAllLines(sysvLog) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long sysvPid() throws IOException {
        return Long.parseLong(Files.readString(work.resolve("sysv-demo.pid")).strip());
    }

    private static String tool(DaemonProcess daemon, String tool) throws IOException, InterruptedException {
        CommandResult result = NamespaceMachine.tool(daemon, tool);
        assertEquals(0, result.status(), result.output());
        return result.output().strip();
    }

    private static boolean aliveInNamespace(DaemonProcess daemon, long pid) {
        return NamespaceMachine.hostPid(daemon, pid).isPresent();
    }

    private static boolean order(String text, String... parts) {
        int at = 0;
        for (String part : parts) {
            at = text.indexOf(part, at);
            if (at < 0) {
                return false;
            }
        }
        return true;
    }
}
