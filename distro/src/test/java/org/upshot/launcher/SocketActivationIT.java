package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.Await;
import org.upshot.testkit.InstanceStatus;

/**
 * Socket activation in the booted distribution, with real clients (curl, socat, python
 * sockets) and services written as their users write them: the first connection starts
 * a LISTEN_FDS service and is answered, connections wait in the backlog while the service
 * is killed and respawns, {@code accept} runs one instance per connection, Upstart's
 * bridge form hands over {@code UPSTART_FDS}, and reloads rebind and unlink.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class SocketActivationIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern SERVED_BY = Pattern.compile("served by (\\d+)");
    private static final String PYTHON = "/usr/bin/python3";

    /** A systemd-style service in a few lines: the listener is fd 3, checked against LISTEN_PID. */
    private static final String LISTEN_FDS_SERVICE = """
            import os, socket
            assert os.environ["LISTEN_PID"] == str(os.getpid()), "LISTEN_PID is not mine"
            assert os.environ["LISTEN_FDS"] == "1"
            listener = socket.socket(fileno=3)
            while True:
                connection, _ = listener.accept()
                with connection:
                    connection.recv(4096)
                    connection.sendall(b"HTTP/1.0 200 OK\\r\\n\\r\\nserved by %d\\n" % os.getpid())
            """;

    /** An upstart-socket-bridge service: the listener's number is in UPSTART_FDS. */
    private static final String UPSTART_FDS_SERVICE = """
            import os, socket
            listener = socket.socket(fileno=int(os.environ["UPSTART_FDS"]))
            while True:
                connection, _ = listener.accept()
                with connection:
                    line = connection.makefile().readline().strip()
                    connection.sendall(b"%s served by %d\\n" % (line.encode(), os.getpid()))
            """;

    /** Opens N connections, says so, waits for a line on stdin, then talks on each at once. */
    private static final String PARALLEL_CLIENT = """
            import socket, sys, threading
            port, count = int(sys.argv[1]), int(sys.argv[2])
            connections = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
            print("connected", flush=True)
            sys.stdin.readline()
            answers = [None] * count
            def talk(i):
                connections[i].sendall(b"client-%d\\n" % i)
                answers[i] = connections[i].makefile().readline().strip()
            threads = [threading.Thread(target=talk, args=(i,)) for i in range(count)]
            for t in threads: t.start()
            for t in threads: t.join()
            for i, c in enumerate(connections):
                print("%d %s" % (c.getsockname()[1], answers[i]), flush=True)
            """;

    @TempDir
    static Path work;

    private DaemonProcess daemon;
    private Path listenFdsService;

    @BeforeAll
    void boot() throws IOException {
        daemon = DaemonProcess.start(work);
        daemon.awaitLog(DaemonProcess.BOOTED);
        listenFdsService = Files.writeString(work.resolve("listen_fds_service.py"), LISTEN_FDS_SERVICE);
    }

    @AfterAll
    void shutDown() throws InterruptedException {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** {@code bin/initctl ARGS}'s output; a failure to run it is the test's failure. */
    private String initctl(String... args) {
        try {
            return daemon.initctl(args).output();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private void loadStopped(String job, String text) throws IOException {
        daemon.job(job, text);
        daemon.awaitStopped(job);
    }

    /** The process's environment, one {@code KEY=VALUE} per line, with a newline before the first too. */
    private static String environ(long pid) throws IOException {
        return "\n" + new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8)
                .replace('\0', '\n');
    }

    private static long servedBy(String reply) {
        Matcher m = SERVED_BY.matcher(reply);
        assertTrue(m.find(), "no 'served by PID' in: " + reply);
        return Long.parseLong(m.group(1));
    }

    /** GET / over a plain socket; the whole reply. */
    private static String get(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void theFirstConnectionStartsAListenFdsServiceAndIsAnsweredByIt() throws Exception {
        int port = freePort();
        loadStopped("web", "socket tcp 127.0.0.1:" + port + "\nexec " + PYTHON + " " + listenFdsService + "\n");
        Await.until(WAIT, () -> initctl("status", "web").equals("web stop/waiting\n\tlistening tcp 127.0.0.1:" + port
                + "\n"), () -> "status shows the listener: " + initctl("status", "web"));
        assertTrue(initctl("list", "--json").contains("\"notes\":[\"listening tcp 127.0.0.1:" + port + "\"]"),
                initctl("list", "--json"));

        CommandResult curl = CommandResult.run(Map.of(), List.of("curl", "-sS", "--max-time", "30",
                "http://127.0.0.1:" + port + "/"));
        assertEquals(0, curl.status(), curl.output());
        long pid = daemon.awaitRunning("web");
        assertEquals(pid, servedBy(curl.output()), "the job's main process answered the first client");

        String environ = environ(pid);
        assertTrue(environ.contains("\nLISTEN_PID=" + pid + "\n"), environ);
        assertTrue(environ.contains("\nLISTEN_FDS=1\n"), environ);
        assertTrue(environ.contains("\nLISTEN_FDNAMES=web\n"), environ);
        assertTrue(environ.contains("\nUPSTART_FDS=3\n"), environ);
        assertTrue(environ.contains("\nLISTEN=tcp:127.0.0.1:" + port + "\n"), environ);
        assertTrue(Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/3")).toString().startsWith("socket:["));

        // stopped, the job is started again by the next client: the listener outlived it
        daemon.stopJob("web");
        long again = servedBy(get(port));
        assertNotEquals(pid, again);
        assertEquals(again, daemon.awaitRunning("web"));
    }

    @Test
    void anIpv6ListenerStartsItsJob() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.readString(Path.of("/proc/net/if_inet6"))
                .contains("00000000000000000000000000000001"), "skipped: this machine has no IPv6 loopback (::1)");
        int port = freePort();
        loadStopped("web6", "socket tcp6 [::1]:" + port + "\nexec " + PYTHON + " " + listenFdsService + "\n");
        // the condition names the listener tcp6:[::1]:PORT, brackets matched literally
        try (Socket socket = new Socket("::1", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            long served = servedBy(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            assertEquals(daemon.awaitRunning("web6"), served);
            assertTrue(environ(served).contains("\nLISTEN=tcp6:[::1]:" + port + "\n"), environ(served));
        }
    }

    @Test
    void clientsConnectingWhileTheServiceIsKilledAreAllServedByItsRespawn() throws Exception {
        int port = freePort();
        loadStopped("respawner", "socket tcp 127.0.0.1:" + port + "\nrespawn\nrespawn limit 10 5\nexec " + PYTHON
                + " " + listenFdsService + "\n");
        long first = servedBy(get(port));
        assertEquals(first, daemon.awaitRunning("respawner"));

        ExecutorService clients = Executors.newFixedThreadPool(50);
        try {
            Runtime.getRuntime().exec(new String[] {"kill", "-KILL", Long.toString(first)}).waitFor();
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                replies.add(clients.submit((Callable<String>) () -> get(port)));
            }
            Set<Long> servers = new HashSet<>();
            for (Future<String> reply : replies) {
                servers.add(servedBy(reply.get(60, TimeUnit.SECONDS)));
            }
            long respawned = daemon.awaitRunning("respawner");
            assertEquals(Set.of(respawned), servers, "all 50 served by the respawned instance");
            assertNotEquals(first, respawned);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void acceptRunsOneInstancePerConnectionEachAnsweringItsOwnClient() throws Exception {
        int port = freePort();
        loadStopped("echo", """
                socket tcp 127.0.0.1:%d accept
                script
                  read line
                  echo "$line pid=$$ port=$REMOTE_PORT fds=$LISTEN_FDS names=$LISTEN_FDNAMES"
                end script
                """.formatted(port));
        Path client = Files.writeString(work.resolve("parallel_client.py"), PARALLEL_CLIENT);
        Process python = new ProcessBuilder(PYTHON, client.toString(), Integer.toString(port), "20")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream()));
                OutputStream in = python.getOutputStream()) {
            assertEquals("connected", out.readLine());
            // twenty connections, twenty instances, each waiting for its client's line
            Await.until(WAIT, () -> running(daemon, "echo") == 20,
                    () -> "20 instances of echo; status: " + daemon.describe("echo") + "\nlog:\n" + daemon.logTail());
            in.write('\n');
            in.flush();
            Set<String> pids = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                String line = out.readLine();
                Matcher m = Pattern.compile("(\\d+) client-(\\d+) pid=(\\d+) port=(\\d+) fds=1 names=connection")
                        .matcher(line == null ? "" : line);
                assertTrue(m.matches(), "answer: " + line);
                assertEquals(m.group(1), m.group(4), "REMOTE_PORT is the client's own port: " + line);
                pids.add(m.group(3));
            }
            assertEquals(20, pids.size(), "each connection had a process of its own: " + pids);
        } finally {
            python.destroy();
        }
        Await.until(WAIT, () -> daemon.isStopped("echo"), () -> "the instances end with their connections: "
                + daemon.describe("echo"));
    }

    private static long running(DaemonProcess daemon, String job) {
        try {
            List<InstanceStatus> instances = daemon.list().getOrDefault(job, List.of());
            return instances.stream().filter(i -> i.goalAndState().equals("start/running")).count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Test
    void upstartsBridgeFormHandsTheListenerOverInUpstartFds() throws Exception {
        int port = freePort();
        Path service = Files.writeString(work.resolve("upstart_fds_service.py"), UPSTART_FDS_SERVICE);
        loadStopped("bridged", "start on socket PROTO=inet PORT=" + port + " ADDR=127.0.0.1\nexec " + PYTHON + " "
                + service + "\n");
        Await.until(WAIT, () -> connects(port), () -> "a listener on " + port + "; log:\n" + daemon.logTail());

        CommandResult socat = CommandResult.run(Map.of(), List.of("sh", "-c",
                "echo hello | socat -t 30 - TCP:127.0.0.1:" + port));
        assertEquals(0, socat.status(), socat.output());
        long pid = daemon.awaitRunning("bridged");
        assertEquals("hello served by " + pid, socat.output().strip());
        String environ = environ(pid);
        assertTrue(environ.contains("\nUPSTART_FDS=3\n"), environ);
        assertTrue(environ.contains("\nPROTO=inet\n") && environ.contains("\nPORT=" + port + "\n"), environ);
    }

    private static boolean connects(int port) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aChangedPortRebindsAndARemovedJobsSocketNodeIsGone() throws Exception {
        int before = freePort();
        loadStopped("moving", "socket tcp 127.0.0.1:" + before + "\nexec " + PYTHON + " " + listenFdsService + "\n");
        assertTrue(listening(before));
        int after = freePort();
        daemon.job("moving", "socket tcp 127.0.0.1:" + after + "\nexec " + PYTHON + " " + listenFdsService + "\n");
        Await.until(WAIT, () -> listening(after) && !listening(before),
                () -> "listening on the new port only; log:\n" + daemon.logTail());
        long served = servedBy(get(after));
        assertEquals(daemon.awaitRunning("moving"), served);

        Path node = work.resolve("sockets/gone.sock");
        loadStopped("gone", "socket unix " + node + "\nexec " + PYTHON + " " + listenFdsService + "\n");
        assertTrue(Files.exists(node), "bound at load: " + node);
        Files.delete(daemon.confDir().resolve("gone.conf"));
        Await.until(WAIT, () -> !Files.exists(node), () -> "the removed job's node unlinked; log:\n"
                + daemon.logTail());
    }

    /** Someone listens on the port: binding it fails (without connecting, which would start the job). */
    private static boolean listening(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void aServiceThatNeverAcceptsHitsTheTriggerLimitInsteadOfSpinning() throws Exception {
        Path node = work.resolve("sockets/spin.sock");
        Path runs = work.resolve("spin.runs");
        loadStopped("spin", "socket unix " + node + "\nexec sh -c 'echo run >> " + runs + "'\n");
        try (java.nio.channels.SocketChannel client = java.nio.channels.SocketChannel.open(
                java.net.UnixDomainSocketAddress.of(node))) {
            String paused = "\tlistening unix " + node + ", paused for 30 s: more than 20 starts in 2 s;"
                    + " 'initctl start spin' resumes it now\n";
            Await.until(WAIT, () -> initctl("status", "spin").endsWith(paused),
                    () -> "paused by the trigger limit: " + initctl("status", "spin"));
            assertEquals(20, Files.readAllLines(runs).size(), "20 starts, then the socket paused");
            Await.stays(Duration.ofSeconds(1), () -> lines(runs) == 20, () -> "no start while paused: " + lines(runs));

            // a start by hand resumes watching: the client still waiting starts it again
            assertEquals(0, daemon.initctl("start", "spin").status());
            Await.until(WAIT, () -> lines(runs) > 21, () -> "watched again after a start by hand: " + lines(runs));
        }
    }

    private static long lines(Path file) {
        try {
            return Files.readAllLines(file).size();
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void expectListenHoldsStartUntilTheServerListensAfterTwoSeconds() throws Exception {
        int port = freePort();
        Path service = Files.writeString(work.resolve("slow_listener.py"), """
                import os, socket, time
                time.sleep(2)
                listener = socket.socket()
                listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                listener.bind(("127.0.0.1", %d))
                listener.listen()
                while True:
                    connection, _ = listener.accept()
                    with connection:
                        connection.sendall(b"served by %%d\\n" %% os.getpid())
                """.formatted(port));
        loadStopped("slow", "expect listen " + port + "\nexec " + PYTHON + " " + service + "\n");
        long asked = System.nanoTime();
        CommandResult start = daemon.initctl("start", "slow");
        long tookMillis = (System.nanoTime() - asked) / 1_000_000;
        assertEquals(0, start.status(), start.output());
        assertTrue(tookMillis >= 2000, "start returned after " + tookMillis + " ms, before the server listened");
        // ready means listening: the first client is answered at once
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(5000);
            long pid = servedBy(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            assertEquals(daemon.runningPid("slow").orElseThrow(), pid);
        }
    }

    @Test
    void anAddressInUseIsAnErrorAtTheStanzaAndTheOtherJobsGoOn() throws Exception {
        int port = freePort();
        loadStopped("owner", "socket tcp 127.0.0.1:" + port + "\nexec " + PYTHON + " " + listenFdsService + "\n");
        int mark = daemon.logMark();
        daemon.job("clash", "description \"wants the same port\"\nsocket tcp 127.0.0.1:" + port + "\nexec sleep 1\n");
        daemon.awaitLog("clash\\.conf:2:1: .*cannot listen on tcp 127\\.0\\.0\\.1:" + port
                + " for job clash: bind: Address already in use \\(by job owner\\)", mark);
        assertThrows(DaemonProcess.Refused.class, () -> daemon.status("clash"));
        daemon.job("bad", "socket tcp 127.0.0.1:99999\nexec sleep 1\n");
        daemon.awaitLog("bad\\.conf:1:12: .*bad port '99999'", mark);
        long served = servedBy(get(port));
        assertEquals(daemon.awaitRunning("owner"), served, "the job that owns the port is unaffected");
        assertFalse(daemon.list().containsKey("bad"));
    }
}
