package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.Await;

/**
 * Issue 17's real boot: Ubuntu's own job files for acpid, avahi-daemon, cron, dbus,
 * nginx, rpcbind (with its boot job) and xinetd, unchanged from the corpus, with the daemons Debian installs,
 * booted as PID 1 of a PID and network namespace with a {@code /run} of its own. With no
 * event emitted by hand each comes up, tracked at its real pid (its own pid file where it
 * writes one); {@code kill -9} of a respawning one starts it again; {@code shutdown -h
 * now} stops them all in order (dbus on {@code deconfiguring-networking}, rpcbind on
 * {@code unmounted-remote-filesystems}) and ends the namespace; so does SIGTERM.
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
        DAEMONS.put("acpid", List.of("acpid", "/run/acpid.pid"));
        DAEMONS.put("avahi-daemon", List.of("avahi-daemon", "/run/avahi-daemon/pid"));
    }

    @TempDir
    Path work;

    @RegisterExtension
    final NamespaceMachine machine = new NamespaceMachine();

    @BeforeEach
    void requireTheDaemonsAndTheCorpus() {
        Prerequisites.requireInstalled(UbuntuJobsBootIT.class, "cron dbus nginx rpcbind xinetd acpid avahi-daemon",
                Path.of("/usr/sbin/cron"), Path.of("/usr/bin/dbus-daemon"), Path.of("/usr/sbin/nginx"),
                Path.of("/usr/sbin/rpcbind"), Path.of("/usr/sbin/xinetd"), Path.of("/usr/sbin/acpid"),
                Path.of("/usr/sbin/avahi-daemon"));
        assertTrue(Files.isRegularFile(CORPUS.resolve(PREFIX + "cron.conf")), "the shared corpus in " + CORPUS);
    }

    @Test
    @Timeout(300)
    void ubuntusJobsBootTheRealDaemonsAndShutdownStopsThem() throws Exception {
        try (DaemonProcess daemon = bootUbuntusJobs()) {
            for (Map.Entry<String, List<String>> entry : DAEMONS.entrySet()) {
                awaitDaemon(daemon, entry.getKey(), entry.getValue());
            }

            // avahi-daemon first: it stops with dbus (stop on stopping dbus) and, as under Upstart,
            // stays stopped after dbus respawns, for its start waits for filesystem again
            for (String job : List.of("avahi-daemon", "acpid", "cron", "dbus", "nginx", "rpcbind")) {
                long before = awaitDaemon(daemon, job, DAEMONS.get(job));
                long host = NamespaceMachine.hostPid(daemon, before).orElseThrow();
                assertEquals(0, CommandResult.run("kill", "-9", Long.toString(host)).status());
                Await.until(WAIT, () -> daemon.runningPid(job).filter(pid -> pid != before).isPresent(),
                        () -> job + " to respawn; " + daemon.describe(job) + "\n" + daemon.logTail());
                awaitDaemon(daemon, job, DAEMONS.get(job));
            }

            daemon.awaitStopped("avahi-daemon");

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

    /** SIGTERM, a container runtime's stop: every daemon stops and PID 1 exits 0, nothing left. */
    @Test
    @Timeout(300)
    void sigtermStopsTheRealDaemonsAndEndsPid1() throws Exception {
        try (DaemonProcess daemon = bootUbuntusJobs()) {
            List<Long> hostPids = new ArrayList<>();
            for (Map.Entry<String, List<String>> entry : DAEMONS.entrySet()) {
                long pid = awaitDaemon(daemon, entry.getKey(), entry.getValue());
                hostPids.add(NamespaceMachine.hostPid(daemon, pid).orElseThrow());
            }
            assertEquals(0, daemon.stop(WAIT), daemon.logTail());
            String log = daemon.log();
            for (String job : DAEMONS.keySet()) {
                assertTrue(log.contains("Handling stopped JOB=" + job + " INSTANCE= RESULT=ok"), job + " stopped:\n" + log);
            }
            for (long pid : hostPids) {
                assertTrue(ProcTable.process(pid) == null, "daemon " + pid + " is gone");
            }
        }
    }

    /** PID 1 of the namespace with Ubuntu's job files, unchanged, beside the boot jobs. */
    private DaemonProcess bootUbuntusJobs() throws IOException {
        List<String> inside = new ArrayList<>(NamespaceMachine.OWN_RUN);
        inside.addAll(upstartHelpers());
        return DaemonProcess.startAsPid1(work, machine.launcher(), inside, options -> {
            // rc runs no SysV script: the host's would start its other daemons in the namespace
            options.javaOptions("-Dupshot.shutdown.timeout.millis=30000")
                    .environment("UPSHOT_RC_DIR", work.resolve("no-rc").toString());
            for (String job : List.of("cron", "dbus", "nginx", "rpcbind", "rpcbind-boot", "xinetd", "acpid",
                    "avahi-daemon")) {
                options.job(job, corpusJob(job));
            }
            return options;
        });
    }

    /**
     * Runs its arguments with Upstart's helpers in {@code /lib/init} (avahi-daemon's job
     * calls {@code /lib/init/apparmor-profile-load}), linked there as the Debian package
     * links them, beside what the host keeps there: a copy bound over it in the namespace's
     * own mounts, so the host's {@code /lib/init} is left alone.
     */
    private List<String> upstartHelpers() throws IOException {
        Path libInit = Files.createDirectories(work.resolve("lib-init"));
        Path host = Path.of("/lib/init");
        if (Files.isDirectory(host)) {
            try (Stream<Path> files = Files.list(host)) {
                for (Path file : files.toList()) {
                    Files.copy(file, libInit.resolve(file.getFileName()), LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
        for (String helper : List.of("upstart-job", "apparmor-profile-load")) {
            Files.createSymbolicLink(libInit.resolve(helper), DaemonProcess.DISTRO.resolve("lib/init").resolve(helper));
        }
        return List.of("sh", "-c", "mkdir -p /lib/init && mount --bind \"$0\" /lib/init && exec \"$@\"",
                libInit.toString());
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
