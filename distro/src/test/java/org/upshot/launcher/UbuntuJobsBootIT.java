package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.Await;

/**
 * Issue 17's real boot: Ubuntu's own job files for cron, dbus, nginx, rpcbind (with its
 * boot job) and xinetd, unchanged from the corpus, with the daemons Debian installs,
 * booted as PID 1 of a PID and network namespace with a {@code /run} of its own. With no
 * event emitted by hand each comes up, tracked at its real pid (its own pid file where it
 * writes one); {@code kill -9} of a respawning one starts it again; {@code shutdown -h
 * now} stops them all in order (dbus on {@code deconfiguring-networking}, rpcbind on
 * {@code unmounted-remote-filesystems}) and ends the namespace.
 */
class UbuntuJobsBootIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path CORPUS = Path.of(System.getProperty("upshot.shared.dir", "/work/shared"))
            .resolve("corpus/upstart-jobs");
    private static final String PREFIX = "Bravedragon0313__RIng_api__etc_init_";
    /** Job, and the daemon's command name and pid file (empty: it writes none). */
    private static final Map<String, List<String>> DAEMONS = new LinkedHashMap<>();

    static {
        DAEMONS.put("cron", List.of("cron", "/run/crond.pid"));
        DAEMONS.put("dbus", List.of("dbus-daemon", "/run/dbus/pid"));
        DAEMONS.put("nginx", List.of("nginx", "/run/nginx.pid"));
        DAEMONS.put("rpcbind", List.of("rpcbind", ""));
        DAEMONS.put("xinetd", List.of("xinetd", "/run/xinetd.pid"));
    }

    @TempDir
    Path work;

    @RegisterExtension
    final NamespaceMachine machine = new NamespaceMachine();

    @BeforeEach
    void requireTheDaemonsAndTheCorpus() {
        Prerequisites.requireInstalled(UbuntuJobsBootIT.class, "cron dbus nginx rpcbind xinetd",
                Path.of("/usr/sbin/cron"), Path.of("/usr/bin/dbus-daemon"), Path.of("/usr/sbin/nginx"),
                Path.of("/usr/sbin/rpcbind"), Path.of("/usr/sbin/xinetd"));
        assertTrue(Files.isRegularFile(CORPUS.resolve(PREFIX + "cron.conf")), "the shared corpus in " + CORPUS);
    }

    @Test
    @Timeout(300)
    void ubuntusJobsBootTheRealDaemonsAndShutdownStopsThem() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.startAsPid1(work, machine.launcher(), NamespaceMachine.OWN_RUN,
                options -> {
                    // rc runs no SysV script: the host's would start its other daemons in the namespace
                    options.javaOptions("-Dupshot.shutdown.timeout.millis=30000")
                            .environment("UPSHOT_RC_DIR", work.resolve("no-rc").toString());
                    for (String job : List.of("cron", "dbus", "nginx", "rpcbind", "rpcbind-boot", "xinetd")) {
                        options.job(job, corpusJob(job));
                    }
                    return options;
                })) {
            Map<String, Long> first = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> entry : DAEMONS.entrySet()) {
                first.put(entry.getKey(), awaitDaemon(daemon, entry.getKey(), entry.getValue()));
            }

            for (String job : List.of("cron", "dbus", "nginx", "rpcbind")) {
                long before = first.get(job);
                long host = NamespaceMachine.hostPid(daemon, before).orElseThrow();
                assertEquals(0, CommandResult.run("kill", "-9", Long.toString(host)).status());
                Await.until(WAIT, () -> daemon.runningPid(job).filter(pid -> pid != before).isPresent(),
                        () -> job + " to respawn; " + daemon.describe(job) + "\n" + daemon.logTail());
                awaitDaemon(daemon, job, DAEMONS.get(job));
            }

            CommandResult shutdown = NamespaceMachine.tool(daemon, "shutdown", "-h", "now");
            assertEquals(0, shutdown.status(), shutdown.output());
            assertTrue(daemon.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "PID 1 ends: " + daemon.logTail());
            assertEquals(128 + 2, daemon.process().exitValue(), daemon.logTail());
            String log = daemon.log();
            for (String job : DAEMONS.keySet()) {
                assertTrue(log.contains("Handling stopped JOB=" + job + " INSTANCE= RESULT=ok"), job + " stopped:\n" + log);
            }
            assertTrue(!log.contains("killing the jobs still up"), log);
            // dbus and rpcbind stop on the events rc announces on the way down, as under Upstart
            assertTrue(log.indexOf("Handling deconfiguring-networking event")
                    < log.indexOf("Handling stopped JOB=dbus "), log);
            assertTrue(log.indexOf("Handling unmounted-remote-filesystems event")
                    < log.indexOf("Handling stopped JOB=rpcbind "), log);
            assertTrue(log.indexOf("Handling deconfiguring-networking event") > 0, log);
        }
    }

    /** Waits until {@code job} runs, and checks that its pid is the daemon's, and its pid file's. */
    private static long awaitDaemon(DaemonProcess daemon, String job, List<String> daemonAndPidFile) {
        long pid = daemon.awaitRunning(job);
        OptionalLong host = NamespaceMachine.hostPid(daemon, pid);
        assertTrue(host.isPresent(), job + "'s pid " + pid + " is alive");
        ProcTable.Proc proc = ProcTable.process(host.getAsLong());
        assertEquals(daemonAndPidFile.get(0), proc.command(), job + " is tracked at the daemon itself");
        if (!daemonAndPidFile.get(1).isEmpty()) {
            Path pidFile = Path.of("/proc", Long.toString(daemon.pid()), "root", daemonAndPidFile.get(1));
            Await.until(WAIT, () -> readPid(pidFile).equals(Long.toString(pid)),
                    () -> job + "'s pid file " + pidFile + " says " + readPid(pidFile) + ", the job " + pid);
        }
        return pid;
    }

    private static String readPid(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "nothing (" + e.getMessage() + ")";
        }
    }

    private static String corpusJob(String job) {
        try {
            return Files.readString(CORPUS.resolve(PREFIX + job + ".conf"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
