package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.source.dbus.PrivateBus;
import org.upshot.testkit.Await;
import org.upshot.testkit.BootedDaemon;

/**
 * A D-Bus service bound to its bus when the bus is itself an Upshot job
 * ({@code -Dupshot.dbus.session.job=bus}): starting the service by hand starts the bus
 * first; stopping the bus stops the service first; while the bus is down the source says
 * so once, shows why under the service, and when the bus is back it owns
 * {@code org.freedesktop.systemd1} again, so activation works as before. The bus job is
 * Debian's dbus-daemon with {@code expect notify}: it says READY=1 once it listens.
 */
class DbusBusJobIT {

    private static final Path DBUS_DAEMON = Path.of("/usr/bin/dbus-daemon");
    private static final Path DBUS_TEST_TOOL = Path.of("/usr/bin/dbus-test-tool");

    @TempDir
    Path work;

    @Test
    @Timeout(120)
    void theServiceRunsOnlyWhileItsBusJobDoes() throws Exception {
        Prerequisites.requireInstalled(DbusBusJobIT.class, "dbus dbus-tests", DBUS_DAEMON, DBUS_TEST_TOOL);
        PrivateBus bus = new PrivateBus(work.resolve("bus"));
        try (BootedDaemon daemon = BootedDaemon.in(work.resolve("daemon"))
                .plugins(BootedDaemon.distroPlugin("source-dbus"), BootedDaemon.distroPlugin("source-socket"))
                .environment("DBUS_SESSION_BUS_ADDRESS", bus.address())
                .javaOptions("-Dupshot.dbus.session.job=bus")
                .job("bus", "expect notify\nexec %s --config-file=%s --nofork --systemd-activation\n".formatted(DBUS_DAEMON,
                        bus.config()))
                .job("echo", "dbus session-bus org.upshot.it.Echo\nexec %s echo --name=org.upshot.it.Echo\n"
                        .formatted(DBUS_TEST_TOOL))
                .boot()) {
            bus.activationFile("org.upshot.it.Echo", "echo.service");
            daemon.awaitStopped("echo");
            daemon.awaitStopped("bus");

            // by hand, with the bus down: the bus job starts first, and start returns once
            // the service owns its name on it
            CommandResult started = CommandResult.initctl(daemon, "start", "echo");
            assertEquals(0, started.status(), () -> started.output() + "\n" + daemon.logTail());
            daemon.awaitRunning("bus");
            assertTrue(bus.hasOwner("org.upshot.it.Echo"), daemon::logTail);

            // stopping the bus stops the service first
            int before = count(daemon.log(), "cannot connect to the session bus");
            assertEquals(0, CommandResult.initctl(daemon, "stop", "bus").status());
            daemon.awaitStopped("echo");
            daemon.awaitStopped("bus");
            Await.until(Duration.ofSeconds(10), () -> status(daemon).contains("waiting for the session bus"),
                    () -> "status shows why: " + status(daemon));
            Thread.sleep(2000); // retries at 0.25, 0.5, 1 s...: each says nothing new
            assertEquals(before + 1, count(daemon.log(), "cannot connect to the session bus"), daemon::logTail);

            // the bus is back: the source reconnects, owns systemd1 again, and activation works
            assertEquals(0, CommandResult.initctl(daemon, "start", "bus").status());
            Await.until(Duration.ofSeconds(20), () -> {
                try {
                    return bus.hasOwner("org.freedesktop.systemd1");
                } catch (Exception e) {
                    return false;
                }
            }, () -> "systemd1 owned again\n" + daemon.logTail());
            daemon.awaitStopped("echo");
            PrivateBus.Result reply = bus.call("org.upshot.it.Echo", "/", "org.upshot.Test.Ping");
            assertEquals(0, reply.status(), () -> reply.output() + "\n" + daemon.logTail());
            daemon.awaitRunning("echo");
            Await.until(Duration.ofSeconds(10), () -> !status(daemon).contains("waiting for"),
                    () -> "the note is gone once connected: " + status(daemon));
        }
    }

    private static String status(BootedDaemon daemon) {
        try {
            return CommandResult.initctl(daemon, "status", "echo").output();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static int count(String text, String what) {
        Matcher matcher = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }
}
