package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.Await;
import org.upshot.testkit.BootedDaemon;
import org.upshot.testkit.InstanceStatus;

/**
 * Unmodified Debian daemons started by the socket source in the booted distribution:
 * {@code dbus-daemon --address=systemd:} takes its bus socket through {@code LISTEN_FDS},
 * and {@code sshd -i} serves each connection of an accepting {@code tcp} listener as an
 * instance of its own, inetd-style. The proof is what real clients get back and what
 * {@code /proc} shows of the processes the daemon started.
 *
 * <p>A missing daemon fails the test where the tools are meant to be installed (CI, or
 * root on Debian, where {@code ./run-tests} installs them) and skips it, saying why, elsewhere.
 */
class SocketDaemonsIT {
    private static final Duration WAIT = BootedDaemon.WAIT;
    private static final Path DBUS_DAEMON = Path.of("/usr/bin/dbus-daemon");
    private static final Path DBUS_SEND = Path.of("/usr/bin/dbus-send");
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    private static final Path SSH_KEYSCAN = Path.of("/usr/bin/ssh-keyscan");
    /** {@code __SO_ACCEPTCON} in {@code /proc/net/unix}'s Flags column: a listening socket. */
    private static final int SO_ACCEPTCON = 0x10000;
    private static final int CLIENTS = 3;

    @TempDir
    Path work;

    /** Every daemon process a test saw: a daemon that had to be killed leaves its jobs running. */
    private final Set<Long> seen = new HashSet<>();
    private boolean madePrivsepDir;

    @AfterEach
    void endLeftovers() throws IOException {
        for (long pid : seen) {
            Path exe = exe(pid);
            if (DBUS_DAEMON.equals(exe) || SSHD.equals(exe)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
            }
        }
        if (madePrivsepDir) {
            Files.deleteIfExists(Prerequisites.SSHD_PRIVSEP_DIR);
        }
    }

    @Test
    @Timeout(90)
    void dbusDaemonIsStartedByTheFirstClientAndTakesTheBusSocketFromListenFds() throws Exception {
        Prerequisites.requireInstalled(SocketDaemonsIT.class, "dbus", DBUS_DAEMON, DBUS_SEND);
        Path bus = work.resolve("bus/socket");
        writeJob("bus", """
                socket unix %s
                exec %s --session --nofork --nopidfile --address=systemd:
                """.formatted(bus, DBUS_DAEMON));

        try (DaemonProcess daemon = DaemonProcess.start(work)) {
            daemon.awaitLog(BootedDaemon.BOOTED);
            daemon.awaitStopped("bus");
            long listener = listenerInode(bus);
            assertTrue(listener > 0, () -> "the daemon listens on " + bus + " before any client; /proc/net/unix has"
                    + " no listener there\n" + daemon.logTail());
            assertEquals(List.of(), children(daemon, DBUS_DAEMON),
                    () -> "no dbus-daemon before the first client; " + daemon.describe("bus") + "\n" + daemon.logTail());

            String firstBus = busId(daemon, bus);
            long first = daemon.awaitRunning("bus");
            seen.add(first);
            assertStartedWithTheListener(daemon, first, listener);
            assertEquals(List.of(first), children(daemon, DBUS_DAEMON), () -> "one dbus-daemon, the job's");

            daemon.stopJob("bus");
            assertTrue(ProcTable.process(first) == null, () -> "dbus-daemon " + first + " ended with its job; "
                    + daemon.describe("bus") + "\n" + daemon.logTail());
            assertEquals(listener, listenerInode(bus), () -> "the listener outlives the job's stop\n"
                    + daemon.logTail());

            String secondBus = busId(daemon, bus);
            long second = daemon.awaitRunning("bus");
            seen.add(second);
            assertNotEquals(first, second, "a new dbus-daemon answered the second client");
            assertNotEquals(firstBus, secondBus, "a new bus (each dbus-daemon makes its own id) answered");
            assertStartedWithTheListener(daemon, second, listener);
        }
    }

    @Test
    @Timeout(90)
    void sshdServesEveryConnectionAsAnInstanceOfItsOwn() throws Exception {
        Prerequisites.requireInstalled(SocketDaemonsIT.class, "openssh-server openssh-client", SSHD, SSH_KEYGEN,
                SSH_KEYSCAN);
        madePrivsepDir = Prerequisites.requireSshdPrivsepDir(SocketDaemonsIT.class);
        Path hostKey = work.resolve("hostkey");
        CommandResult keygen = CommandResult.run(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-C",
                "SocketDaemonsIT", "-f", hostKey.toString());
        assertEquals(0, keygen.status(), keygen::output);
        Path config = Files.writeString(work.resolve("sshd_config"), "PidFile none\nUsePAM no\n");
        CommandResult check = CommandResult.run(SSHD.toString(), "-t", "-f", config.toString(), "-h",
                hostKey.toString());
        assertEquals(0, check.status(), () -> "sshd -t: " + check.output());
        String[] publicKey = Files.readString(work.resolve("hostkey.pub")).trim().split(" ");
        int port = freePort();
        writeJob("ssh", """
                socket tcp 127.0.0.1:%d accept
                exec %s -i -e -f %s -h %s
                """.formatted(port, SSHD, config, hostKey));

        try (DaemonProcess daemon = DaemonProcess.start(work)) {
            daemon.awaitLog(BootedDaemon.BOOTED);
            daemon.awaitStopped("ssh");

            // Clients that hold their connections: each is greeted by an sshd of its own,
            // an instance named after the connection that runs while it is open.
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(new Socket(InetAddress.getLoopbackAddress(), port));
                }
                for (Socket client : clients) {
                    String banner = banner(client);
                    assertTrue(banner.startsWith("SSH-2.0-OpenSSH"), () -> "sshd's greeting, not '" + banner + "'\n"
                            + daemon.logTail());
                }
                Await.until(WAIT, () -> runningInstances(daemon, "ssh").size() == CLIENTS,
                        () -> CLIENTS + " instances start/running; " + daemon.describe("ssh") + "\n" + daemon.logTail());
                Map<String, Long> instances = runningInstances(daemon, "ssh");
                seen.addAll(instances.values());
                assertEquals(CLIENTS, new HashSet<>(instances.values()).size(), () -> "distinct pids: " + instances);
                for (Socket client : clients) {
                    String peer = "127.0.0.1:" + client.getLocalPort();
                    String instance = instances.keySet().stream().filter(name -> name.matches("\\d+-" + peer))
                            .findFirst().orElseThrow(() -> new AssertionError("an instance N-" + peer + " for the"
                                    + " client on " + peer + ": " + instances.keySet()));
                    long pid = instances.get(instance);
                    assertEquals(SSHD, exe(pid), () -> instance + ": " + pid + " is sshd");
                    assertEquals(daemon.pid(), ProcTable.process(pid).ppid(), () -> pid + " is the daemon's child");
                    long connection = tcpInode(port, client.getLocalPort());
                    assertTrue(holds(pid, connection), () -> instance + ": sshd " + pid + " holds the server end of "
                            + peer + "'s connection (socket:[" + connection + "])");
                }
            } finally {
                for (Socket client : clients) {
                    client.close();
                }
            }
            daemon.awaitStopped("ssh");

            // sshd ending a connection ends it for the client: the daemon keeps no copy.
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                client.setSoTimeout((int) WAIT.toMillis());
                client.getOutputStream().write("NOT-SSH\r\n".getBytes(StandardCharsets.US_ASCII));
                // to the end of the stream; a copy left open would make this time out
                String said = new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(said.startsWith("SSH-2.0-OpenSSH") && said.contains("Invalid SSH identification"),
                        () -> "sshd's greeting and refusal, then the end of the stream, not: " + said);
            }
            daemon.awaitStopped("ssh");

            // Real ssh clients at once: each gets the host key of WORK/hostkey from an sshd -i of its own.
            int mark = daemon.logMark();
            List<Process> scans = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                scans.add(new ProcessBuilder(SSH_KEYSCAN.toString(), "-T", "10", "-p", Integer.toString(port), "-t",
                        "ed25519", "127.0.0.1").redirectErrorStream(true).start());
            }
            String hostLine = "[127.0.0.1]:" + port + " " + publicKey[0] + " " + publicKey[1];
            for (Process scan : scans) {
                String output = new String(scan.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(scan.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "ssh-keyscan ends");
                assertTrue(output.lines().anyMatch(hostLine::equals), () -> "ssh-keyscan prints '" + hostLine
                        + "', not:\n" + output + "\n" + daemon.logTail());
            }
            daemon.awaitStopped("ssh");
            Map<String, Long> started = mainProcesses(daemon.log().substring(mark), "ssh");
            assertEquals(CLIENTS, started.size(), () -> "one instance per ssh-keyscan: " + started + "\n"
                    + daemon.logTail());
            assertEquals(CLIENTS, new HashSet<>(started.values()).size(), () -> "distinct pids: " + started);
            for (String instance : started.keySet()) {
                // sshd -e logs to the instance's console log, naming the peer its connection came from
                String remotePort = instance.substring(instance.lastIndexOf(':') + 1);
                Path log = daemon.logDir().resolve("ssh-" + instance + ".log");
                String said = Files.exists(log) ? Files.readString(log) : "(no " + log + ")";
                assertTrue(said.contains("127.0.0.1 port " + remotePort), () -> instance + "'s sshd served 127.0.0.1"
                        + " port " + remotePort + "; its log: " + said);
            }
        }
    }

    private void writeJob(String name, String text) throws IOException {
        Files.writeString(Files.createDirectories(work.resolve("conf")).resolve(name + ".conf"), text);
    }

    /** Asks the bus at {@code socket} for its id with a real client; it must answer. */
    private static String busId(DaemonProcess daemon, Path socket) throws IOException, InterruptedException {
        CommandResult reply = CommandResult.run(DBUS_SEND.toString(), "--bus=unix:path=" + socket, "--print-reply",
                "--reply-timeout=20000", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                "org.freedesktop.DBus.GetId");
        Matcher id = Pattern.compile("string \"([0-9a-f]{32})\"").matcher(reply.output());
        assertTrue(reply.status() == 0 && id.find(), () -> "dbus-send GetId answered, not (" + reply.status() + ") "
                + reply.output() + "\n" + daemon.describe("bus") + "\n" + daemon.logTail());
        return id.group(1);
    }

    /**
     * {@code pid} is dbus-daemon, the daemon's child, and got the listener as systemd
     * passes it: {@code LISTEN_PID} its own pid, {@code LISTEN_FDS=1}, the socket at fd 3.
     */
    private static void assertStartedWithTheListener(DaemonProcess daemon, long pid, long listener)
            throws IOException {
        assertEquals(DBUS_DAEMON, exe(pid), () -> pid + " runs dbus-daemon");
        assertEquals(daemon.pid(), ProcTable.process(pid).ppid(), () -> pid + " is the daemon's child");
        List<String> environ = Arrays.asList(new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid),
                "environ")), StandardCharsets.UTF_8).split("\0"));
        assertTrue(environ.contains("LISTEN_PID=" + pid), () -> "LISTEN_PID=" + pid + " in " + environ);
        assertTrue(environ.contains("LISTEN_FDS=1"), () -> "LISTEN_FDS=1 in " + environ);
        assertTrue(environ.contains("LISTEN_FDNAMES=bus"), () -> "LISTEN_FDNAMES=bus in " + environ);
        Path fd3 = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", "3"));
        assertEquals("socket:[" + listener + "]", fd3.toString(), "fd 3 is the daemon's listener");
    }

    /** The inode of the listening unix socket bound at {@code path}, from {@code /proc/net/unix}; -1 if none. */
    private static long listenerInode(Path path) throws IOException {
        // Num RefCount Protocol Flags Type St Inode Path
        for (String line : Files.readAllLines(Path.of("/proc/net/unix"))) {
            String[] fields = line.trim().split("\\s+", 8);
            if (fields.length == 8 && fields[7].equals(path.toString()) && fields[3].matches("[0-9A-Fa-f]+")
                    && (Integer.parseInt(fields[3], 16) & SO_ACCEPTCON) != 0) {
                return Long.parseLong(fields[6]);
            }
        }
        return -1;
    }

    /** The main processes the daemon logged for {@code job}'s instances in {@code log}, by instance. */
    private static Map<String, Long> mainProcesses(String log, String job) {
        Map<String, Long> started = new TreeMap<>();
        Matcher line = Pattern.compile("^\\S+ DEBUG JobRuntime: " + Pattern.quote(job) + " \\((\\S+)\\) main process"
                + " \\((\\d+)\\)$", Pattern.MULTILINE).matcher(log);
        while (line.find()) {
            started.put(line.group(1), Long.parseLong(line.group(2)));
        }
        return started;
    }

    /** The inode of the server end of 127.0.0.1:{@code remotePort}'s connection to 127.0.0.1:{@code port}; -1 if none. */
    private static long tcpInode(int port, int remotePort) throws IOException {
        String loopback = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "0100007F" : "7F000001";
        String local = String.format("%s:%04X", loopback, port);
        String remote = String.format("%s:%04X", loopback, remotePort);
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
        for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 9 && fields[1].equals(local) && fields[2].equals(remote)) {
                return Long.parseLong(fields[9]);
            }
        }
        return -1;
    }

    /** Whether process {@code pid} has socket {@code inode} open. */
    private static boolean holds(long pid, long inode) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals("socket:[" + inode + "]");
                } catch (IOException closed) {
                    return false;
                }
            });
        }
    }

    /** The daemon's children running {@code program}. */
    private static List<Long> children(DaemonProcess daemon, Path program) {
        return ProcTable.childrenOf(daemon.pid()).stream().map(ProcTable.Proc::pid)
                .filter(pid -> program.equals(exe(pid))).toList();
    }

    /** {@code /proc/PID/exe}, or null once the process is gone. */
    private static Path exe(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe"));
        } catch (IOException gone) {
            return null;
        }
    }

    /** {@code job}'s start/running instances with their main pids, by instance name. */
    private static Map<String, Long> runningInstances(DaemonProcess daemon, String job) {
        try {
            Map<String, Long> running = new TreeMap<>();
            for (InstanceStatus instance : daemon.status(job)) {
                if (instance.goalAndState().equals("start/running") && instance.mainPid().isPresent()) {
                    running.put(instance.instance(), instance.mainPid().getAsLong());
                }
            }
            return running;
        } catch (IOException | BootedDaemon.Refused e) {
            return Map.of();
        }
    }

    /** The first line the server sends, read within {@link #WAIT}. */
    private static String banner(Socket client) throws IOException {
        client.setSoTimeout((int) WAIT.toMillis());
        BufferedReader reader = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.US_ASCII));
        String line = reader.readLine();
        return line == null ? "" : line;
    }

    /** A loopback port nobody listens on now; the job's stanza binds it at load. */
    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
