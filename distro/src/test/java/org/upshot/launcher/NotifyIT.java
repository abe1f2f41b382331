package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.Await;
import org.upshot.testkit.BootedDaemon;

/**
 * sd_notify in the booted distribution (issue 15), with real senders: a python daemon
 * speaking the protocol by hand, Debian's {@code systemd-notify} from a job script, and
 * Debian's sshd, unmodified, which says {@code READY=1} when {@code NOTIFY_SOCKET} is set.
 * {@code start} returns only once the daemon is ready; what it says shows in
 * {@code status}; the watchdog aborts a daemon that stops pinging and the job respawns.
 */
class NotifyIT {

    private static final Path SYSTEMD_NOTIFY = Path.of("/usr/bin/systemd-notify");
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");

    /**
     * A daemon speaking sd_notify by hand; what it does is its first argument. Each
     * message is one datagram to {@code $NOTIFY_SOCKET}.
     */
    private static final String NOTIFIER = """
            import os, signal, socket, sys, time
            def send(text):
                s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                s.sendto(text.encode(), os.environ["NOTIFY_SOCKET"])
                s.close()
            def reload(signum, frame):
                send("RELOADING=1\\nMONOTONIC_USEC=%d" % (time.monotonic_ns() // 1000))
                time.sleep(1.5)
                send("READY=1\\nSTATUS=reloaded")
            mode = sys.argv[1]
            if mode == "slow-ready":
                signal.signal(signal.SIGHUP, reload)
                send("STATUS=warming up")
                time.sleep(1.5)
                send("READY=1\\nSTATUS=serving")
            elif mode == "pings":
                send("READY=1")
                for _ in range(int(sys.argv[2])):
                    time.sleep(0.3)
                    send("WATCHDOG=1")
                send("STATUS=no more pings")
            elif mode == "hand-over":
                child = os.fork()
                if child == 0:
                    with open(sys.argv[2], "w") as told:
                        told.write(str(os.getpid()))
                    time.sleep(600)
                    sys.exit(0)
                send("MAINPID=%d\\nREADY=1" % child)
                sys.exit(0)
            elif mode == "refused":
                send("READY=1\\nX_PADDING=" + "x" * 5000)
                if os.fork() == 0:
                    send("READY=1")
                    sys.exit(0)
                os.wait()
                time.sleep(1)
                send("READY=1\\nSTATUS=ready at last")
            elif mode == "extend":
                send("EXTEND_TIMEOUT_USEC=5000000")
                time.sleep(2)
                send("READY=1")
            elif mode == "late":
                time.sleep(2)
                send("READY=1")
            while True:
                time.sleep(600)
            """;

    @TempDir
    Path work;

    private boolean madePrivsepDir;

    @AfterEach
    void removePrivsepDir() throws IOException {
        if (madePrivsepDir) {
            Files.deleteIfExists(Prerequisites.SSHD_PRIVSEP_DIR);
        }
    }

    @Test
    @Timeout(90)
    void startReturnsAtReadyAndStatusShowsWhatTheDaemonSaid() throws Exception {
        try (BootedDaemon daemon = boot("py", "expect notify\nexec python3 %s slow-ready\n")) {
            succeedsNoSoonerThan(1400, "READY=1 after 1.5 s", daemon, "start", "py");
            CommandResult status = CommandResult.initctl(daemon, "status", "py");
            assertTrue(Pattern.matches("py start/running, process \\d+\n\tstatus: serving\n", status.output()),
                    status::output);
            String json = CommandResult.initctl(daemon, "status", "py", "--json").output();
            assertTrue(json.contains("\"notes\":[\"status: serving\"]"), json);

            // reload: SIGHUP, RELOADING=1, 1.5 s of work, READY=1: the reload returns after it
            succeedsNoSoonerThan(1400, "RELOADING=1, then READY=1 after 1.5 s", daemon, "reload", "py");
            assertTrue(CommandResult.initctl(daemon, "status", "py").output().contains("\tstatus: reloaded\n"));
        }
    }

    @Test
    @Timeout(90)
    void systemdNotifyFromAJobScriptIsHeardWithNotifyAccessAll() throws Exception {
        Prerequisites.requireInstalled(NotifyIT.class, "systemd", SYSTEMD_NOTIFY);
        try (BootedDaemon daemon = daemon().job("sn", """
                expect notify
                notify-access all
                script
                  sleep 1
                  %s --ready --status="told by systemd-notify"
                  exec sleep 600
                end script
                """.formatted(SYSTEMD_NOTIFY)).boot()) {
            daemon.awaitStopped("sn");
            succeedsNoSoonerThan(900, "the script's READY=1 after 1 s", daemon, "start", "sn");
            CommandResult status = CommandResult.initctl(daemon, "status", "sn");
            assertTrue(status.output().endsWith("\tstatus: told by systemd-notify\n"), status::output);
        }
    }

    @Test
    @Timeout(90)
    void aMissedWatchdogAbortsTheDaemonAndTheJobRespawns() throws Exception {
        try (BootedDaemon daemon = boot("wd", """
                expect notify
                watchdog 1s
                respawn
                exec python3 %s pings 3
                """)) {
            daemon.job("failures", """
                    start on stopping wd RESULT=failed PROCESS=watchdog EXIT_SIGNAL=ABRT
                    task
                    exec echo failed >> %s
                    """.formatted(work.resolve("failures")));
            daemon.awaitStopped("failures");
            assertEquals(0, CommandResult.initctl(daemon, "start", "wd").status());
            long first = daemon.awaitRunning("wd");
            List<String> environment = List.of(Files.readString(Path.of("/proc", Long.toString(first), "environ"))
                    .split("\0"));
            assertTrue(environment.contains("WATCHDOG_USEC=1000000"), environment::toString);
            assertTrue(environment.contains("WATCHDOG_PID=" + first), environment::toString);

            // three pings 0.3 s apart keep it, then one second without kills it
            Await.until(Duration.ofSeconds(20), () -> daemon.runningPid("wd").filter(pid -> pid != first).isPresent(),
                    () -> "wd respawned after its watchdog; status " + daemon.describe("wd") + "\n" + daemon.logTail());
            assertNotEquals(first, daemon.awaitRunning("wd"));
            Await.until(Duration.ofSeconds(10), () -> Files.exists(work.resolve("failures")),
                    () -> "a stopping event with PROCESS=watchdog EXIT_SIGNAL=ABRT\n" + daemon.logTail());
            assertTrue(daemon.log().contains("wd missed its watchdog (1s)"), daemon::logTail);
        }
    }

    @Test
    @Timeout(90)
    void mainPidHandsSupervisionToAnotherOfTheJobsProcesses() throws Exception {
        Path childPid = work.resolve("child.pid");
        try (BootedDaemon daemon = boot("handover", "expect notify\nexec python3 %s hand-over " + childPid + "\n")) {
            CommandResult started = CommandResult.initctl(daemon, "start", "handover");
            assertEquals(0, started.status(), started::output);
            Await.until(Duration.ofSeconds(10), () -> childPid.toFile().length() > 0,
                    () -> "the child wrote its pid");
            long child = Long.parseLong(Files.readString(childPid));
            // the parent exits at once; the job runs on with the child it named
            assertTrue(started.output().startsWith("handover start/running, process " + child + "\n"),
                    () -> child + " is the main process: " + started.output());
            assertEquals(child, daemon.awaitRunning("handover"));
            assertEquals(0, CommandResult.initctl(daemon, "stop", "handover").status());
            Await.until(Duration.ofSeconds(10), () -> ProcessHandle.of(child).isEmpty(),
                    () -> "stop ended the process named by MAINPID, " + child);
        }
    }

    @Test
    @Timeout(90)
    void messagesFromOtherProcessesOrTooLongAreDroppedAndCounted() throws Exception {
        try (BootedDaemon daemon = boot("strict", "expect notify\nexec python3 %s refused\n")) {
            succeedsNoSoonerThan(900, "READY=1 from the main process after 1 s: neither the 5,000-byte message"
                    + " nor the child's counts", daemon, "start", "strict");
            String status = CommandResult.initctl(daemon, "status", "strict").output();
            assertTrue(status.contains("\tstatus: ready at last\n"), status);
            assertTrue(status.contains("\tnotify: 1 message(s) refused: not from the main process\n"), status);
            assertTrue(status.contains("\tnotify socket: dropped 0 without credentials, 1 of 4096 bytes or more\n"),
                    status);
        }
    }

    @Test
    @Timeout(90)
    void extendTimeoutUsecBuysTimeBeyondTheStartTimeout() throws Exception {
        try (BootedDaemon daemon = daemon()
                .job("extended", "expect notify\nstart timeout 1\nexec python3 %s extend\n".formatted(notifier()))
                .job("late", "expect notify\nstart timeout 1\nexec python3 %s late\n".formatted(notifier()))
                .boot()) {
            daemon.awaitStopped("late");
            CommandResult late = CommandResult.initctl(daemon, "start", "late");
            assertNotEquals(0, late.status(), () -> "late is killed at its 1 s start timeout: " + late.output());
            CommandResult extended = CommandResult.initctl(daemon, "start", "extended");
            assertEquals(0, extended.status(), () -> "EXTEND_TIMEOUT_USEC=5000000 kept it: " + extended.output());
            daemon.awaitRunning("extended");
        }
    }

    /** Debian's sshd as it ships: {@code -D} with {@code NOTIFY_SOCKET} set says READY=1 once it listens. */
    @Test
    @Timeout(90)
    void debiansSshdIsReadyWhenItSaysSo() throws Exception {
        Prerequisites.requireInstalled(NotifyIT.class, "openssh-server", SSHD, SSH_KEYGEN);
        madePrivsepDir = Prerequisites.requireSshdPrivsepDir(NotifyIT.class);
        Path hostKey = work.resolve("hostkey");
        CommandResult keygen = CommandResult.run(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-f",
                hostKey.toString());
        assertEquals(0, keygen.status(), keygen::output);
        Path config = Files.writeString(work.resolve("sshd_config"), "PidFile none\nUsePAM no\n");
        int port = freePort();
        try (BootedDaemon daemon = daemon().job("ssh", """
                expect notify
                start timeout 20
                exec %s -D -e -f %s -h %s -o ListenAddress=127.0.0.1:%d
                """.formatted(SSHD, config, hostKey, port)).boot()) {
            daemon.awaitStopped("ssh");
            CommandResult started = CommandResult.initctl(daemon, "start", "ssh");
            assertEquals(0, started.status(), started::output);
            long pid = daemon.awaitRunning("ssh");
            assertEquals("sshd", ProcTable.process(pid).command());
            // ready means listening: the greeting comes with no retry
            assertTrue(banner(port).startsWith("SSH-2.0-OpenSSH"), "sshd greets at once");
            // SIGHUP: sshd re-executes itself and says READY=1 again
            CommandResult reloaded = CommandResult.initctl(daemon, "reload", "ssh");
            assertEquals(0, reloaded.status(), reloaded::output);
            assertEquals(pid, daemon.awaitRunning("ssh"));
            Await.until(Duration.ofSeconds(10), () -> banner(port).startsWith("SSH-2.0-OpenSSH"),
                    () -> "sshd greets after its reload");
        }
    }

    /** {@code initctl ARGS} succeeds, and returns only after {@code millis}, when {@code awaited} happened. */
    private static void succeedsNoSoonerThan(long millis, String awaited, BootedDaemon daemon, String... args)
            throws IOException, InterruptedException {
        long began = System.nanoTime();
        CommandResult result = CommandResult.initctl(daemon, args);
        long tookMillis = (System.nanoTime() - began) / 1_000_000;
        assertEquals(0, result.status(), result::output);
        assertTrue(tookMillis >= millis, () -> String.join(" ", args) + " returned after " + tookMillis
                + " ms, before " + awaited);
    }

    /** A daemon with {@code job} loaded; closed here if the job never loads, so no daemon outlives the test. */
    private BootedDaemon boot(String job, String text) throws Exception {
        BootedDaemon daemon = daemon().job(job, text.formatted(notifier())).boot();
        try {
            daemon.awaitStopped(job);
        } catch (AssertionError | RuntimeException e) {
            daemon.close();
            throw e;
        }
        return daemon;
    }

    /** A session daemon over WORK with the plugin that holds sd_notify. */
    private BootedDaemon.Builder daemon() {
        return BootedDaemon.in(work).plugins(BootedDaemon.distroPlugin("source-socket"));
    }

    private Path notifier() throws IOException {
        Path script = work.resolve("notifier.py");
        if (!Files.exists(script)) {
            Files.writeString(script, NOTIFIER);
        }
        return script;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String banner(int port) {
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            client.setSoTimeout(5000);
            byte[] line = new byte[64];
            int read = client.getInputStream().read(line);
            return read <= 0 ? "" : new String(line, 0, read, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }
}
