package org.upshot.source.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.event.EventExpression;
import org.upshot.job.InstanceChange;
import org.upshot.job.InstanceRef;
import org.upshot.job.JobView;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.testkit.Await;
import org.upshot.testkit.TestSourceContext;

/** The table on real sockets, with real clients, the engine played by the test. */
class ListenerTableTest {

    private static final Duration QUIET = Duration.ofMillis(400);

    @TempDir
    Path dir;

    private final ListenerTable table = new ListenerTable();
    private final HeldEmitter emitter = new HeldEmitter();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private TestSourceContext context;

    @BeforeEach
    void start() throws Exception {
        context = TestSourceContext.of(emitter, dir);
        table.start(context);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        table.close();
    }

    private Listener claim(String job, String stanza) throws StanzaException {
        return table.claim(job, SocketSpec.parse(job, List.of(stanza.split(" "))), 1, 1);
    }

    /** Claims the stanza as its file is parsed, then lists its job as loaded, as the engine does next. */
    private Listener claimLoaded(String job, String stanza) throws StanzaException {
        Listener listener = claim(job, stanza);
        table.jobsChanged(List.of(stanzaJob(job, stanza)));
        return listener;
    }

    private Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        clients.add(socket);
        return socket;
    }

    private SocketChannel connect(Path path) throws IOException {
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path));
        clients.add(channel);
        return channel;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static JobView job(String name, Map<String, List<List<String>>> stanzas, EventExpression startOn) {
        return new JobView(name, Path.of("/etc/init/" + name + ".conf"), Optional.empty(), Optional.ofNullable(startOn),
                Optional.empty(), List.of(), stanzas, List.of());
    }

    private static JobView stanzaJob(String name, String stanza) {
        return job(name, Map.of("socket", List.of(List.of(stanza.split(" ")))), null);
    }

    private void phase(String job, String instance, InstanceChange.Phase phase) {
        table.instanceChanged(new InstanceChange(new InstanceRef(job, instance), phase, Optional.empty()));
    }

    @Test
    void aConnectionToAnIdleListenerIsOneEventAndTheListenerWaitsWhileTheJobRuns() throws Exception {
        int port = freePort();
        Listener listener = claimLoaded("web", "tcp 127.0.0.1:" + port);
        assertTrue(listener.descriptor() >= 3);
        assertEquals("web", listener.name());
        connect(port);
        HeldEmitter.Held first = emitter.await(1);
        assertEquals("socket", first.event().name());
        assertEquals("tcp:127.0.0.1:" + port, first.get("LISTEN"));
        assertEquals("inet", first.get("PROTO"));
        assertEquals(Integer.toString(port), first.get("PORT"));
        assertEquals("127.0.0.1", first.get("ADDR"));
        assertTrue(first.descriptors().isEmpty(), "the job inherits the listener from its stanza");

        // the job starts and runs: more clients queue in the backlog, no event
        phase("web", "", InstanceChange.Phase.STARTING);
        first.finish();
        connect(port);
        Await.stays(QUIET, () -> emitter.events().size() == 1, () -> "events while the job runs: " + emitter.events());
        assertEquals(List.of("listening tcp 127.0.0.1:" + port), context.description("web"));

        // it stops with connections waiting: the next event starts it again
        phase("web", "", InstanceChange.Phase.STOPPED);
        emitter.await(2);
    }

    @Test
    void anEventThatStartedNothingLeavesTheListenerWatched() throws Exception {
        int port = freePort();
        claimLoaded("web", "tcp 127.0.0.1:" + port);
        connect(port);
        emitter.await(1).finish();
        emitter.await(2);
    }

    @Test
    void acceptMakesOneEventPerConnectionCarryingIt() throws Exception {
        int port = freePort();
        claimLoaded("echo", "tcp 127.0.0.1:" + port + " accept");
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sockets.add(connect(port));
        }
        for (int i = 1; i <= 3; i++) {
            HeldEmitter.Held held = emitter.await(i);
            assertEquals(1, held.descriptors().size());
            assertTrue(held.descriptors().get(0).standardIo());
            assertEquals("connection", held.descriptors().get(0).name());
            assertEquals("127.0.0.1", held.get("REMOTE_ADDR"));
            int remotePort = Integer.parseInt(held.get("REMOTE_PORT"));
            assertTrue(sockets.stream().anyMatch(s -> s.getLocalPort() == remotePort), held.toString());
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + held.descriptors().get(0).descriptor()))
                    .toString();
            assertTrue(target.startsWith("socket:["), target);
        }
        // releasing the event's copy closes the daemon's end: the client sees end of file
        emitter.finishAll();
        for (Socket socket : sockets) {
            assertEquals(-1, socket.getInputStream().read());
        }
    }

    @Test
    void overMaxConnectionsAConnectionIsClosedAndCounted() throws Exception {
        int port = freePort();
        claimLoaded("echo", "tcp 127.0.0.1:" + port + " accept max-connections=2");
        connect(port);
        connect(port);
        HeldEmitter.Held first = emitter.await(1);
        emitter.await(2);
        phase("echo", instanceOf(first), InstanceChange.Phase.STARTING);
        InputStream third = connect(port).getInputStream();
        assertEquals(-1, third.read(), "the third connection is closed at once");
        Await.until(Duration.ofSeconds(5), () -> context.description("echo").get(0).contains("1 refused"),
                () -> "status: " + context.description("echo"));
        assertEquals(2, emitter.events().size());

        // a connection's instance stops: there is room again
        phase("echo", instanceOf(first), InstanceChange.Phase.STOPPED);
        connect(port);
        emitter.await(3);
    }

    private static String instanceOf(HeldEmitter.Held held) {
        return held.get("CONNECTION") + "-" + held.get("REMOTE_ADDR") + ":" + held.get("REMOTE_PORT");
    }

    @Test
    void moreThanTwentyStartsInTwoSecondsPauseTheListenerUntilAStartByHand() throws Exception {
        Path socket = dir.resolve("crash.sock");
        claimLoaded("crash", "unix " + socket);
        connect(socket); // never accepted: the job below starts and stops at once
        for (int n = 1; n <= 20; n++) {
            HeldEmitter.Held held = emitter.await(n);
            phase("crash", "", InstanceChange.Phase.STARTING);
            held.finish();
            phase("crash", "", InstanceChange.Phase.STOPPED);
        }
        Await.until(Duration.ofSeconds(5), () -> context.description("crash").get(0).contains("paused"),
                () -> "status: " + context.description("crash"));
        assertEquals("listening unix " + socket + ", paused for 30 s: more than 20 starts in 2 s; 'initctl start crash'"
                + " resumes it now", context.description("crash").get(0));
        assertEquals(20, emitter.events().size());

        phase("crash", "", InstanceChange.Phase.STARTING);
        phase("crash", "", InstanceChange.Phase.STOPPED);
        emitter.await(21);
    }

    @Test
    void aDatagramWaitingOnAUdpSocketIsAnEvent() throws Exception {
        int port;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0)) {
            port = probe.getLocalPort();
        }
        claimLoaded("dns", "udp 127.0.0.1:" + port);
        try (java.net.DatagramSocket client = new java.net.DatagramSocket()) {
            byte[] query = "query".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            client.send(new java.net.DatagramPacket(query, query.length, new InetSocketAddress("127.0.0.1", port)));
        }
        HeldEmitter.Held held = emitter.await(1);
        assertEquals("udp:127.0.0.1:" + port, held.get("LISTEN"));
        assertEquals("inet", held.get("PROTO"));
    }

    @Test
    void anAbstractUnixSocketHasNoNodeAndTakesConnections() throws Exception {
        String name = "upshot-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        claimLoaded("bus", "unix @" + name + " accept");
        Process client = new ProcessBuilder("python3", "-c", "import socket, sys\n"
                + "s = socket.socket(socket.AF_UNIX)\n"
                + "s.connect('\\0' + sys.argv[1])\n"
                + "s.recv(1)\n", name).redirectErrorStream(true).start();
        try {
            HeldEmitter.Held held = emitter.await(1);
            assertEquals("unix:@" + name, held.get("LISTEN"));
            assertEquals(Long.toString(client.pid()), held.get("REMOTE_PID"));
            assertEquals(Long.toString(new com.sun.security.auth.module.UnixSystem().getUid()), held.get("REMOTE_UID"));
            held.finish();
            assertTrue(client.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "the client saw its connection close");
        } finally {
            client.destroyForcibly();
        }
    }

    @Test
    void withAcceptTheLimitHoldsWhileItsOwnConnectionsStartAndLeavesTheRestWaiting() throws Exception {
        int port = freePort();
        claimLoaded("echo", "tcp 127.0.0.1:" + port + " accept trigger-limit=5/60");
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sockets.add(connect(port));
        }
        for (int n = 1; n <= 5; n++) {
            phase("echo", instanceOf(emitter.await(n)), InstanceChange.Phase.STARTING);
        }
        Await.until(Duration.ofSeconds(5), () -> context.description("echo").get(0).contains("paused for 30 s"),
                () -> "status: " + context.description("echo"));
        Await.stays(QUIET, () -> emitter.events().size() == 5, () -> "starts past the limit: " + emitter.events());
        assertTrue(context.description("echo").get(0).contains("0 refused"), context.description("echo").toString());
        // the three over the limit are neither served nor refused: they wait in the backlog
        Socket waiting = sockets.get(7);
        waiting.setSoTimeout(200);
        assertThrows(java.net.SocketTimeoutException.class, () -> waiting.getInputStream().read());
    }

    @Test
    void aUnixNodeIsMadeWithItsDirectoryAndModeAndRemovedWithItsJob() throws Exception {
        Path socket = dir.resolve("run/deep/echo.sock");
        claim("echo", "unix " + socket + " mode=0600");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        connect(socket);
        table.jobsChanged(List.of(stanzaJob("echo", "unix " + socket + " mode=0600")));

        table.jobsChanged(List.of());
        assertFalse(Files.exists(socket), "a removed job's socket node is gone");
        assertThrows(IOException.class, () -> connect(socket));
        assertEquals(List.of(), context.description("echo"));
    }

    /**
     * The list of loaded jobs that follows a claim may have been made before the claimed
     * job loaded (its file is parsed while the list is on its way): that list does not
     * close the socket, a later one without the job does.
     */
    @Test
    void aListMadeBeforeTheClaimedJobLoadedLeavesItsSocketOpen() throws Exception {
        Path socket = dir.resolve("fresh.sock");
        claim("fresh", "unix " + socket);
        table.jobsChanged(List.of());
        connect(socket);
        table.jobsChanged(List.of());
        assertFalse(Files.exists(socket), "closed by the next list without the job");
    }

    /**
     * A listener claimed while its file is parsed is not watched until its job is loaded
     * (after a re-exec, the socket comes back with clients in its backlog before the engine
     * has the job): an accepted connection would otherwise find no job and be closed.
     */
    @Test
    void aClaimedListenerWaitsForItsJobToLoadBeforeAccepting() throws Exception {
        int port = freePort();
        String stanza = "tcp 127.0.0.1:" + port + " accept";
        claim("greet", stanza);
        Socket waiting = connect(port);
        Await.stays(QUIET, () -> emitter.events().isEmpty(), () -> "events before the job loaded: " + emitter.events());
        table.jobsChanged(List.of(stanzaJob("greet", stanza)));
        HeldEmitter.Held held = emitter.await(1);
        int remotePort = Integer.parseInt(held.get("REMOTE_PORT"));
        assertEquals(waiting.getLocalPort(), remotePort, "the client that waited is the one accepted");
    }

    /**
     * Paused for a re-exec, the table accepts nothing (a connection accepted then would be
     * closed with the program); the client waits in the backlog and is taken on resume.
     */
    @Test
    void whilePausedClientsWaitInTheBacklogAndAreAcceptedOnResume() throws Exception {
        int port = freePort();
        claimLoaded("greet", "tcp 127.0.0.1:" + port + " accept");
        connect(port);
        emitter.await(1).finish();
        table.pause();
        Socket waiting = connect(port);
        Await.stays(QUIET, () -> emitter.events().size() == 1, () -> "events while paused: " + emitter.events());
        table.resume();
        HeldEmitter.Held held = emitter.await(2);
        assertEquals(waiting.getLocalPort(), Integer.parseInt(held.get("REMOTE_PORT")), "the waiting client");
    }

    @Test
    void aFileThatIsNotASocketIsRefusedAndLeftAlone() throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "precious\n");
        StanzaException e = assertThrows(StanzaException.class, () -> claim("web", "unix " + file));
        assertTrue(e.getMessage().contains("exists and is not a socket"), e.getMessage());
        assertEquals("precious\n", Files.readString(file));
    }

    @Test
    void aLiveSocketOfAnotherKindAtThePathIsInUseNotStale() throws Exception {
        // a syslog-like datagram socket answers a stream probe with EPROTOTYPE: live, not stale
        Path node = dir.resolve("log.sock");
        Process syslog = new ProcessBuilder("python3", "-c", "import socket, sys, time\n"
                + "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\ns.bind(sys.argv[1])\ntime.sleep(60)\n",
                node.toString()).start();
        try {
            Await.until(Duration.ofSeconds(10), () -> Files.exists(node), () -> "python bound " + node);
            StanzaException e = assertThrows(StanzaException.class, () -> claim("logger", "unix " + node));
            assertTrue(e.getMessage().endsWith("bind: Address already in use (another process listens on " + node
                    + ")"), e.getMessage());
            assertTrue(Files.exists(node), "a live datagram socket's node is left alone");
        } finally {
            syslog.destroyForcibly();
        }
    }

    @Test
    void aStaleSocketNodeIsReplaced() throws Exception {
        Path node = dir.resolve("stale.sock");
        try (java.nio.channels.ServerSocketChannel gone = java.nio.channels.ServerSocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            gone.bind(java.net.UnixDomainSocketAddress.of(node));
        } // closed, node left behind: nobody answers
        claimLoaded("fresh", "unix " + node);
        connect(node);
        emitter.await(1);
    }

    @Test
    void anAddressInUseIsAnErrorNamingJobAndAddress() throws Exception {
        int port = freePort();
        claim("first", "tcp 127.0.0.1:" + port);
        StanzaException e = assertThrows(StanzaException.class, () -> claim("second", "tcp 127.0.0.1:" + port));
        assertEquals("cannot listen on tcp 127.0.0.1:" + port + " for job second: bind: Address already in use"
                + " (by job first)", e.getMessage());
    }

    @Test
    void reclaimingAnUnchangedStanzaKeepsTheSocketAndItsWaitingClients() throws Exception {
        Path socket = dir.resolve("keep.sock");
        Listener before = claim("keep", "unix " + socket);
        int fd = before.descriptor();
        phase("keep", "", InstanceChange.Phase.STARTING);
        SocketChannel waiting = connect(socket);
        Listener after = claim("keep", "unix " + socket);
        table.jobsChanged(List.of(stanzaJob("keep", "unix " + socket)));
        assertTrue(before == after);
        assertEquals(fd, after.descriptor());
        assertTrue(waiting.isConnected());
    }

    @Test
    void upstartsFormListensForTheJobsThatNameItAndPassesADuplicate() throws Exception {
        int port = freePort();
        EventExpression startOn = new EventExpression.Match("socket", List.of(
                EventExpression.Argument.equal("PROTO", "inet"),
                EventExpression.Argument.equal("PORT", Integer.toString(port)),
                EventExpression.Argument.equal("ADDR", "127.0.0.1")));
        table.jobsChanged(List.of(job("legacy", Map.of(), startOn)));
        connect(port);
        HeldEmitter.Held held = emitter.await(1);
        assertEquals(null, held.get("LISTEN"));
        assertEquals(Integer.toString(port), held.get("PORT"));
        assertEquals(1, held.descriptors().size());
        assertFalse(held.descriptors().get(0).standardIo());
        assertEquals(List.of("listening tcp 127.0.0.1:" + port), context.description("legacy"));

        table.jobsChanged(List.of());
        held.finish();
        assertThrows(IOException.class, () -> connect(port));
    }
}
