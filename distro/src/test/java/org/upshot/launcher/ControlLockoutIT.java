package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.control.Command;
import org.upshot.control.Protocol;
import org.upshot.testkit.BootedDaemon;

/**
 * A system daemon with its default limits while {@code nobody} opens 4,096 connections to
 * its control socket, 600 of them following events: nobody gets its share (a quarter of
 * the connections, an eighth of them followers) and no more, and root is still answered
 * at once.
 */
class ControlLockoutIT {
    private static final int HOSTILE_CONNECTIONS = 4096;
    private static final int HOSTILE_FOLLOWERS = 600;

    /** Opens the connections, reports what it got, then holds them until its stdin closes. */
    private static final String HOSTILE = """
            import resource, socket, sys
            hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            path, total, followers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
            held, following, busy = [], 0, 0
            for i in range(total):
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    s.connect(path)
                except OSError:
                    busy += 1
                    continue
                if i < followers:
                    s.sendall(b'{"v":1,"id":1,"cmd":"events"}\\n')
                    line = s.makefile().readline()
                    if '"ok":true' in line:
                        following += 1
                    else:
                        busy += 1
                held.append(s)
            print(following, busy, flush=True)
            sys.stdin.read()
            """;

    @TempDir
    Path work;

    @Test
    @Timeout(120)
    void rootIsAnsweredAtOnceWhileNobodyHoldsFourThousandConnections() throws Exception {
        assumeTrue(ProcTable.runningAsRoot(), "skipped: a system daemon and a second user (nobody) need root");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x")); // nobody reaches the socket
        try (BootedDaemon daemon = BootedDaemon.in(work).system().plugins(DaemonProcess.DISTRO.resolve("plugins")
                .resolve("source-files-0.1.0.jar")).job("steady", "start on startup\nexec sleep 600\n").boot()) {
            long steady = daemon.awaitRunning("steady");
            Process hostile = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                    "/usr/bin/python3", "-c", HOSTILE, daemon.runtimeDir().resolve("control.sock").toString(),
                    Integer.toString(HOSTILE_CONNECTIONS), Integer.toString(HOSTILE_FOLLOWERS))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                String said = new BufferedReader(new InputStreamReader(hostile.getInputStream(),
                        StandardCharsets.UTF_8)).readLine();
                assertTrue(said != null, "the hostile client reports");
                int[] counts = Arrays.stream(said.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
                assertEquals(HOSTILE_CONNECTIONS / 8, counts[0], "nobody follows events on an eighth of the places");
                assertEquals(HOSTILE_FOLLOWERS - HOSTILE_CONNECTIONS / 8, counts[1], "the other followers are BUSY");

                // five requests while nobody holds its share: the median within 100 ms
                long[] millis = new long[5];
                for (int i = 0; i < millis.length; i++) {
                    long asked = System.nanoTime();
                    Map<String, Object> reply = daemon.request(Command.STATUS, Map.of(Protocol.F_JOB, "steady"));
                    millis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
                    assertTrue(reply.toString().contains(Long.toString(steady)), reply.toString());
                }
                Arrays.sort(millis);
                System.out.println("ControlLockoutIT: root's status round trips under hostile load (ms): "
                        + Arrays.toString(millis));
                assertTrue(millis[2] < 100, "root answered at once: " + Arrays.toString(millis));
            } finally {
                hostile.destroy();
                hostile.waitFor();
            }
            assertEquals(steady, daemon.awaitRunning("steady"));
            assertEquals(0, daemon.stop(BootedDaemon.WAIT), daemon.logTail());
        }
    }
}
