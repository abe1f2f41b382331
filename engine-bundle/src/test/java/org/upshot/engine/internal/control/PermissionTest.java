package org.upshot.engine.internal.control;

import org.upshot.process.internal.HandedDescriptors;

import org.upshot.daemon.DaemonSettings.ControlLimits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.upshot.control.Command;
import org.upshot.control.Json;
import org.upshot.ctl.Initctl;

/**
 * Who may do what, by the caller's real uid: the {@code initctl} client is run as user
 * {@code nobody} against a system-mode and a session-mode server.
 *
 * <p>The client runs through {@code ProcessBuilder}: no Upshot reaper runs in this test
 * JVM, so nothing steals its exit status.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PermissionTest {

    private final FakeJobControl engine = new FakeJobControl();
    private Path dir;
    private ControlServer server;

    /** What one run of the client printed and returned. */
    record Run(int status, String out, String err) {
    }

    @BeforeEach
    void setUp() throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            System.out.println("PermissionTest skipped: needs root to run the client as nobody");
        }
        Assumptions.assumeTrue(root, "needs root to run the client as nobody");
        // Not @TempDir: nobody must be able to reach the socket through every parent.
        dir = Files.createTempDirectory(Path.of("/tmp"), "upshot-perm");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void tearDown() throws IOException {
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private Run asNobody(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup",
                "--clear-groups", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dupshot.prog=initctl", "-cp", clientClassPath(),
                Initctl.class.getName(), "--socket", dir.resolve("control.sock").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), out, err);
    }

    /** The client's two class-path entries: the ctl classes and the kernel's codec. */
    private static String clientClassPath() {
        return Initctl.class.getProtectionDomain().getCodeSource().getLocation().getPath() + ":"
                + Json.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    }

    @Test
    void systemModeLetsOthersReadButNotChange() throws Exception {
        server = new ControlServer(dir.resolve("control.sock"), true, engine, "0.1.0", dir, false,
                ControlLimits.DEFAULT, new HandedDescriptors());
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("control.sock"))));

        assertEquals(new Run(0, "sobby start/running, process 14977\n", ""), asNobody("status", "sobby"));
        assertEquals(0, asNobody("list").status());
        assertEquals(new Run(0, "init (upshot 0.1.0)\n", ""), asNobody("version"));
        assertEquals(0, asNobody("show-config").status());

        String[][] refused = {{"start", "foo"}, {"stop", "sobby"}, {"restart", "sobby"}, {"reload", "sobby"},
            {"emit", "wake-up"}, {"reload-configuration"}, {"set-env", "A=1"}, {"list-env"},
            {"log-priority", "debug"}};
        for (String[] args : refused) {
            assertEquals(new Run(1, "", "initctl: Permission denied\n"), asNobody(args), String.join(" ", args));
        }
        assertEquals(0, engine.mutations.get(), "a refused request reached the engine");
    }

    @Test
    void anotherUserCannotLockRootOut() throws Exception {
        // 16 places: the last one kept for root, 4 per other user, 2 of them following events
        server = new ControlServer(dir.resolve("control.sock"), true, engine, "0.1.0", dir, false,
                new ControlLimits(16, 8, 1 << 20, 10_000), new HandedDescriptors());
        Process hostile = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                "/usr/bin/python3", "-c", """
                import socket, sys
                held = []
                for cmd in sys.argv[2:]:
                    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    s.connect(sys.argv[1])
                    try:
                        s.sendall(('{"v":1,"id":1,"cmd":"%s","job":"sobby"}\\n' % cmd).encode())
                    except OSError:
                        pass  # refused at accept: the reply and the close may come before the request
                    line = s.makefile().readline()
                    print(cmd, "BUSY" if '"BUSY"' in line else "ok" if '"ok":true' in line else line.strip(),
                          flush=True)
                    held.append(s)
                sys.stdin.read()
                """, dir.resolve("control.sock").toString(), "events", "events", "events", "status", "status")
                .start();
        try {
            java.io.BufferedReader said = new java.io.BufferedReader(new java.io.InputStreamReader(
                    hostile.getInputStream(), StandardCharsets.UTF_8));
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(said.readLine());
            }
            assertEquals(List.of("events ok", "events ok", "events BUSY", "status ok", "status BUSY"), answers,
                    "two followers, four connections for nobody");
            // while nobody holds its share, root is answered
            long asked = System.nanoTime();
            try (RawClient root = new RawClient(dir.resolve("control.sock"))) {
                root.send("{\"v\":1,\"id\":7,\"cmd\":\"status\",\"job\":\"sobby\"}\n");
                assertEquals(Boolean.TRUE, root.reply().get("ok"));
            }
            assertTrue(System.nanoTime() - asked < TimeUnit.MILLISECONDS.toNanos(1000), "root answered at once");
        } finally {
            hostile.destroy();
            hostile.waitFor();
        }
    }

    @Test
    void sessionModeServesItsOwnerOnly() throws Exception {
        Path socket = dir.resolve("control.sock");
        server = new ControlServer(socket, false, engine, "0.1.0", dir, false, ControlLimits.DEFAULT, new HandedDescriptors());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        // Opened up by hand so that the uid check itself, not the file mode, is what refuses.
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertEquals(new Run(1, "", "initctl: Permission denied\n"), asNobody("status", "sobby"));
        assertEquals(new Run(1, "", "initctl: Permission denied\n"), asNobody("version"));
    }

    @Test
    void readOnlyCommandsAreExactlyUpstartsReadingOnes() {
        List<String> readOnly = new ArrayList<>();
        for (Command command : Command.values()) {
            if (command.isReadOnly()) {
                readOnly.add(command.wireName());
            }
        }
        assertEquals(List.of("status", "list", "check-config", "show-config", "version", "events", "log",
                "journal", "sources"),
                readOnly);
        AccessPolicy system = AccessPolicy.system();
        assertTrue(system.permits(new Peer(1, 0, 0), Command.START));
        assertFalse(system.permits(new Peer(1, 1000, 1000), Command.START));
        assertFalse(system.permits(new Peer(1, 1000, 1000), Command.POWEROFF), "only root shuts the system down");
        AccessPolicy session = AccessPolicy.session(1000);
        assertTrue(session.permits(new Peer(1, 1000, 1000), Command.STOP));
        assertFalse(session.permits(new Peer(1, 0, 0), Command.STATUS));
    }
}
