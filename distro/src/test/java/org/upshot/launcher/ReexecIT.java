package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.Await;
import org.upshot.testkit.BootedDaemon;
import org.upshot.testkit.InstanceStatus;

/**
 * {@code initctl reexec} replaces the daemon's program in place: in session mode and as
 * PID 1 (its daemon under bin/upshot's shell), 100 running jobs and 10 instances keep their
 * pids, a respawn counter goes on counting, a half-matched {@code and} completes afterwards,
 * and a socket-activated job under steady client load refuses no connection.
 */
class ReexecIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int JOBS = 100;
    private static final int INSTANCES = 10;

    @TempDir
    Path work;

    @Test
    @Timeout(300)
    void sessionDaemonReexecutesKeepingEveryJobSocketAndHalfMatchedCondition() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(work)) {
            reexecKeepsEverything(daemon, daemon::pid);
        }
    }

    @Test
    @Timeout(300)
    void pid1ReexecutesItsDaemonKeepingEveryJob() throws Exception {
        boolean root = ProcTable.runningAsRoot();
        boolean unshare = Files.isExecutable(Path.of(DaemonProcess.UNSHARE));
        if (!root || !unshare) {
            System.out.println("ReexecIT: PID 1 case skipped: PID namespaces need root and " + DaemonProcess.UNSHARE
                    + " (root=" + root + ", unshare=" + unshare + ")");
        }
        Assumptions.assumeTrue(root && unshare, "needs root and unshare");
        try (DaemonProcess daemon = DaemonProcess.startAsPid1(work)) {
            long init = daemon.pid();
            reexecKeepsEverything(daemon, () -> javaUnder(init));
        }
    }

    private void reexecKeepsEverything(DaemonProcess daemon, LongSupplier daemonPid) throws Exception {
        Path echo = work.resolve("echo.sock");
        Path greet = work.resolve("greet.sock");
        for (int i = 0; i < JOBS; i++) {
            daemon.job(String.format("svc%03d", i), "start on startup\nexec sleep 2000\n");
        }
        daemon.job("worker", "instance $N\nexec sleep 2001\n");
        daemon.job("flappy", "start on startup\nrespawn\nrespawn limit 3 600\nexec sleep 2002\n");
        daemon.job("both", "start on alpha and beta\ntask\nexec touch " + work.resolve("both-ran") + "\n");
        // one connection per run: the service takes one and ends, so each client starts it anew
        daemon.job("echo", "socket unix " + echo + " trigger-limit=off\n"
                + "exec python3 -c 'import socket; c, _ = socket.socket(fileno=3).accept(); c.sendall(b\"hi\\n\")'\n");
        // and one instance per connection, the connection its standard output: the daemon accepts
        daemon.job("greet", "socket unix " + greet + " accept trigger-limit=off\nexec echo hi\n");
        daemon.awaitRunning(String.format("svc%03d", JOBS - 1));
        for (int n = 1; n <= INSTANCES; n++) {
            assertEquals(0, daemon.initctl("start", "worker", "N=" + n).status());
        }
        long flappy = daemon.awaitRunning("flappy");
        for (int kill = 1; kill <= 2; kill++) {
            flappy = respawned(daemon, flappy);
        }
        assertEquals(0, daemon.initctl("emit", "--no-wait", "alpha").status());
        Map<String, List<Long>> before = pids(daemon);
        assertEquals(JOBS + 2, before.size(), "every job running before: " + before);
        assertEquals(INSTANCES, before.get("worker").size(), "every instance running before: " + before);
        long program = daemonPid.getAsLong();

        EchoClient clients = new EchoClient(echo);
        EchoClient greeted = new EchoClient(greet);
        clients.start();
        greeted.start();
        Await.until(WAIT, () -> clients.answered.get() >= 3, () -> "the echo job to answer; " + clients);
        Await.until(WAIT, () -> greeted.answered.get() >= 3, () -> "the greet job to answer; " + greeted);
        int mark = daemon.logMark();
        int greetFailedBefore = greeted.failed.get();
        CommandResult reexec = daemon.initctl("reexec");
        assertEquals(0, reexec.status(), reexec.output() + "\nlog:\n" + daemon.logTail());
        // echo and greet, plugin stanzas, are taken over once their plugin loads them again
        daemon.awaitLog("re-executed: took over 111 running instances", mark);
        int answeredAtReexec = clients.answered.get();
        int greetedAtReexec = greeted.answered.get();
        Await.until(WAIT, () -> clients.answered.get() >= answeredAtReexec + 5, () -> "clients answered after; " + clients);
        Await.until(WAIT, () -> greeted.answered.get() >= greetedAtReexec + 5, () -> "greeted after; " + greeted);
        clients.finish();
        greeted.finish();
        String greetStatus = daemon.initctl("status", "greet").output();
        // (under this load a few accepted connections end unanswered even before the re-exec: a known
        // fault of accept mode, reported on issue 16; the re-exec must add none)
        assertEquals(greetFailedBefore, greeted.failed.get(), () -> "no connection of the accepting socket refused "
                + "or dropped across the re-exec: "
                + greeted + " (" + greetFailedBefore + " failed before the re-exec); " + greetStatus + "; log:\n" + notable(daemon.log()));
        assertEquals(0, clients.failed.get(), () -> "no client refused or left unanswered: " + clients + "; log:\n"
                + notable(daemon.log()));

        assertEquals(program, daemonPid.getAsLong(), "the same daemon process, its program replaced");
        assertEquals(before, pids(daemon), "every job and instance kept its pid");
        long copies = ProcTable.pidsOf("sleep 2000").size();
        assertEquals(JOBS, copies, "nothing started twice");

        // the half-matched condition completes with the event that was missing
        assertEquals(0, daemon.initctl("emit", "beta").status());
        Await.until(WAIT, () -> Files.exists(work.resolve("both-ran")), () -> "both to run; log:\n" + daemon.logTail());

        // the respawn count went on: 2 before, the limit is 3, so the second one now is one too many
        flappy = respawned(daemon, flappy);
        ProcTable.pidsOf("sleep 2002").forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        daemon.awaitStopped("flappy");
        assertTrue(daemon.isAlive(), "the daemon (as PID 1: PID 1) lives");
        assertEquals(0, daemon.stop(WAIT), daemon.logTail());
    }

    /** The log without its debug lines. */
    private static String notable(String log) {
        return log.lines().filter(line -> !line.contains(" DEBUG ")).collect(Collectors.joining("\n"));
    }

    /**
     * Kills flappy's main process, {@code pid} as the daemon shows it, and waits for its
     * respawn; the new pid. Found by its command line: as PID 1 of a namespace the daemon
     * shows the namespace's pids.
     */
    private static long respawned(DaemonProcess daemon, long pid) {
        ProcTable.pidsOf("sleep 2002").forEach(hostPid -> ProcessHandle.of(hostPid).ifPresent(ProcessHandle::destroyForcibly));
        Await.until(WAIT, () -> daemon.runningPid("flappy").filter(p -> p != pid).isPresent(),
                () -> "flappy respawned; " + daemon.describe("flappy"));
        return daemon.runningPid("flappy").orElseThrow();
    }

    /** Every running job's main pids, by job. */
    private static Map<String, List<Long>> pids(BootedDaemon daemon) throws IOException {
        Map<String, List<Long>> pids = new TreeMap<>();
        daemon.list().forEach((job, instances) -> {
            for (InstanceStatus instance : instances) {
                instance.mainPid().ifPresent(pid -> pids.computeIfAbsent(job, j -> new ArrayList<>()).add(pid));
            }
        });
        pids.remove("echo"); // these two come and go with their clients
        pids.remove("greet");
        return pids;
    }

    private static long javaUnder(long init) {
        return ProcTable.childrenOf(init).stream().filter(p -> p.command().equals("java")).findFirst()
                .orElseThrow(() -> new AssertionError("no java under PID 1")).pid();
    }

    /** One client after another on the echo socket: each must connect and read the answer. */
    private static final class EchoClient extends Thread {
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        private final AtomicReference<String> lastFailure = new AtomicReference<>("");
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Path socket;

        EchoClient(Path socket) {
            super("clients of " + socket.getFileName());
            this.socket = socket;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running.get()) {
                try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                    ByteBuffer in = ByteBuffer.allocate(16);
                    while (in.position() < 3 && channel.read(in) >= 0) {
                        // blocking: a connection made during the re-exec waits in the backlog
                    }
                    String reply = new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
                    if (reply.equals("hi\n")) {
                        answered.incrementAndGet();
                    } else {
                        fail("answer " + reply);
                    }
                } catch (IOException e) {
                    fail(e.toString());
                }
            }
        }

        private void fail(String why) {
            failed.incrementAndGet();
            lastFailure.set(why);
        }

        void finish() throws InterruptedException {
            running.set(false);
            join(WAIT.toMillis());
        }

        @Override
        public String toString() {
            return answered + " answered, " + failed + " failed (last: " + lastFailure + ")";
        }
    }
}
