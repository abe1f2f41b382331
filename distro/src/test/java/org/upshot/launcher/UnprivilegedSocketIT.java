package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.Await;
import org.upshot.testkit.BootedDaemon;

/**
 * A session daemon of an ordinary user: a port below 1024 is refused at the stanza with
 * the reason, and a job on a higher port still loads and is activated. As root the daemon
 * is started as {@code nobody} ({@code setpriv}); otherwise as the user running the test.
 */
class UnprivilegedSocketIT {
    private static final int NOBODY = 65534;

    @TempDir
    Path work;

    @Test
    @Timeout(90)
    void aPrivilegedPortIsRefusedAtItsStanzaAndTheOtherJobsGoOn() throws Exception {
        boolean root = new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        Path home = Files.createDirectories(work.resolve("home"));
        BootedDaemon.Builder builder = BootedDaemon.in(home).plugins(distroPlugins());
        if (root) {
            List<String> launcher = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                    "--clear-groups", "env", "HOME=" + home, "XDG_STATE_HOME=" + home.resolve("state"),
                    "XDG_CACHE_HOME=" + home.resolve("cache")));
            if (closedToOthers(DaemonProcess.DISTRO)) {
                // a checkout under /root: nobody runs a copy of the distribution instead of the one
                // the kit names, which the shell drops from its arguments
                Path copy = work.resolve("distro");
                run("cp", "-a", DaemonProcess.DISTRO.toString(), copy.toString());
                launcher.addAll(List.of("sh", "-c", "shift; exec \"$0\" \"$@\"", copy.resolve("bin/upshot").toString()));
            }
            builder.launcher(launcher.toArray(String[]::new));
            handOver(home);
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (BootedDaemon daemon = builder
                .job("low", "socket tcp 127.0.0.1:80 accept\nexec echo low\n")
                .job("high", "socket tcp 127.0.0.1:" + port + " accept\nexec echo \"served as $(id -u)\"\n")
                .boot()) {
            daemon.awaitLog("low\\.conf:1:1: stanza 'socket': cannot listen on tcp 127\\.0\\.0\\.1:80 for job low:"
                    + " bind: Permission denied \\(ports below 1024 need root\\)");
            // as nobody, the daemon answers only nobody on its control socket: watch the port instead
            Await.until(BootedDaemon.WAIT, () -> listening(port), () -> "high's listener; log:\n" + daemon.logTail());
            try (Socket client = new Socket("127.0.0.1", port)) {
                client.setSoTimeout(30_000);
                String reply = new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                long uid = root ? NOBODY : new com.sun.security.auth.module.UnixSystem().getUid();
                assertEquals("served as " + uid, reply.strip());
            }
        }
    }

    /** Someone listens on the port: binding it fails. */
    private static boolean listening(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Whether a directory on the way to {@code path} is closed to others (a checkout under /root). */
    private static boolean closedToOthers(Path path) throws IOException {
        for (Path dir = path.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (!Files.getPosixFilePermissions(dir).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                return true;
            }
        }
        return false;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, process.waitFor(), String.join(" ", command));
    }

    private static List<Path> distroPlugins() throws IOException {
        try (Stream<Path> jars = Files.list(DaemonProcess.DISTRO.resolve("plugins"))) {
            return new ArrayList<>(jars.toList());
        }
    }

    /** Gives the daemon's directory tree to nobody, and lets it through the test's temp directory. */
    private void handOver(Path home) throws IOException, InterruptedException {
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        run("chown", "-R", NOBODY + ":" + NOBODY, home.toString());
    }
}
