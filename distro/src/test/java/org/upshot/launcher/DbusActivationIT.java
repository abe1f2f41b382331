package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.source.dbus.PrivateBus;
import org.upshot.testkit.Await;
import org.upshot.testkit.BootedDaemon;

/**
 * D-Bus activation in the booted distribution (issue 12), with a private, unmodified
 * {@code dbus-daemon --systemd-activation} per test and real clients: {@code dbus-send}
 * to a stopped service starts its job and gets the reply; a job that fails fails the
 * caller at once; {@code start} of a service returns only once it owns its name; a
 * service that gives its name up is treated as gone. The services are Debian's
 * {@code dbus-test-tool echo} (package dbus-tests) and a {@code python3-dbus} service,
 * both unmodified by Upshot: they find the bus in {@code DBUS_SESSION_BUS_ADDRESS}, which
 * the {@code dbus} stanza gives them.
 */
class DbusActivationIT {

    private static final Path DBUS_TEST_TOOL = Path.of("/usr/bin/dbus-test-tool");
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    /** A python3-dbus service: claims argv[1] after argv[2] seconds; Ping answers pong, Release gives the name up. */
    private static final String SERVICE = """
            import sys, time
            import dbus, dbus.service, dbus.mainloop.glib
            from gi.repository import GLib
            dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
            name, delay = sys.argv[1], float(sys.argv[2])
            time.sleep(delay)
            bus = dbus.SessionBus()
            class Service(dbus.service.Object):
                @dbus.service.method("org.upshot.Test", out_signature="s")
                def Ping(self):
                    return "pong"
                @dbus.service.method("org.upshot.Test")
                def Release(self):
                    bus.release_name(name)
            service = Service(bus, "/org/upshot/Test")
            bus.request_name(name, dbus.bus.NAME_FLAG_DO_NOT_QUEUE)
            GLib.MainLoop().run()
            """;

    @TempDir
    Path work;
    private PrivateBus bus;
    private Path service;

    @BeforeEach
    void startBus() throws Exception {
        Prerequisites.requireInstalled(DbusActivationIT.class, "dbus dbus-tests python3-dbus python3-gi",
                Path.of("/usr/bin/dbus-daemon"), Path.of("/usr/bin/dbus-send"), DBUS_TEST_TOOL, PYTHON);
        bus = new PrivateBus(work.resolve("bus")).start();
        service = Files.writeString(work.resolve("service.py"), SERVICE);
    }

    @AfterEach
    void stopBus() throws InterruptedException {
        if (bus != null) {
            bus.close();
        }
    }

    private BootedDaemon.Builder daemon() {
        return BootedDaemon.in(work.resolve("daemon")).plugins(BootedDaemon.distroPlugin("source-dbus"))
                .environment("DBUS_SESSION_BUS_ADDRESS", bus.address());
    }

    /** {@code upshot dbus-services ARGS} over the daemon's job directory. */
    private CommandResult dbusServices(BootedDaemon daemon, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                BootedDaemon.distro().resolve("bin/upshot").toString(), "dbus-services", "--confdir",
                daemon.confDir().toString()));
        command.addAll(List.of(args));
        return CommandResult.run(command.toArray(String[]::new));
    }

    private void awaitClaimed(BootedDaemon daemon) {
        Await.until(Duration.ofSeconds(20), () -> {
            try {
                return bus.hasOwner("org.freedesktop.systemd1");
            } catch (Exception e) {
                return false;
            }
        }, () -> "Upshot never owned org.freedesktop.systemd1\n" + daemon.logTail());
    }

    @Test
    @Timeout(120)
    void aCallToAStoppedServiceStartsItsJobAndGetsTheReply() throws Exception {
        try (BootedDaemon daemon = daemon()
                .job("echo", "dbus session-bus org.upshot.it.Echo\nexec %s echo --name=org.upshot.it.Echo\n"
                        .formatted(DBUS_TEST_TOOL))
                .job("pyecho", "dbus session-bus org.upshot.it.Py\nexec %s %s org.upshot.it.Py 0\n"
                        .formatted(PYTHON, service))
                .boot()) {
            CommandResult written = dbusServices(daemon, bus.services().toString());
            assertEquals(0, written.status(), written::output);
            assertTrue(Files.readString(bus.services().resolve("org.upshot.it.Echo.service"))
                    .contains("SystemdService=echo.service\n"));
            CommandResult checked = dbusServices(daemon, "--check", bus.services().toString());
            assertEquals(0, checked.status(), checked::output);
            awaitClaimed(daemon);
            assertTrue(daemon.isStopped("echo"));

            PrivateBus.Result reply = bus.call("org.upshot.it.Echo", "/", "org.upshot.Test.Anything", "string:hi");
            assertEquals(0, reply.status(), () -> reply.output() + "\n" + daemon.logTail());
            daemon.awaitRunning("echo");

            PrivateBus.Result pong = bus.call("org.upshot.it.Py", "/org/upshot/Test", "org.upshot.Test.Ping");
            assertEquals(0, pong.status(), () -> pong.output() + "\n" + daemon.logTail());
            assertTrue(pong.output().contains("string \"pong\""), pong::output);
            long pid = daemon.awaitRunning("pyecho");
            String environment = Files.readString(Path.of("/proc", Long.toString(pid), "environ"));
            assertTrue(environment.contains("DBUS_SESSION_BUS_ADDRESS=" + bus.address() + "\0"), environment);

            // a file that names a unit no job has fails at once, not at the bus's timeout
            bus.activationFile("org.upshot.it.Nobody", "nobody.service");
            PrivateBus.Result nobody = bus.call("org.upshot.it.Nobody", "/", "org.upshot.Test.Ping");
            assertNotEquals(0, nobody.status());
            assertTrue(nobody.output().contains("NoSuchUnit"), nobody::output);
            assertTrue(nobody.took().toMillis() < 1000, () -> "took " + nobody.took());

            // a stale file fails the check
            Files.writeString(bus.services().resolve("org.upshot.it.Py.service"),
                    "[D-BUS Service]\nName=org.upshot.it.Py\nExec=/bin/false\nSystemdService=other.service\n");
            CommandResult stale = dbusServices(daemon, "--check", bus.services().toString());
            assertEquals(1, stale.status(), stale::output);
            assertTrue(stale.output().contains("SystemdService=other.service, expected pyecho.service"),
                    stale::output);
        }
    }

    @Test
    @Timeout(120)
    void aJobThatFailsFailsItsCallerWithinASecond() throws Exception {
        try (BootedDaemon daemon = daemon()
                .job("broken", "dbus session-bus org.upshot.it.Broken\nexec /bin/sh -c 'exit 3'\n").boot()) {
            assertEquals(0, dbusServices(daemon, bus.services().toString()).status());
            awaitClaimed(daemon);
            PrivateBus.Result result = bus.call("org.upshot.it.Broken", "/", "org.upshot.Test.Ping");
            assertNotEquals(0, result.status(), result::output);
            assertTrue(result.output().contains("job broken failed to start"), () -> result.output()
                    + "\n" + daemon.logTail());
            assertTrue(result.took().toMillis() < 1000, () -> "took " + result.took());
        }
    }

    @Test
    @Timeout(120)
    void startReturnsOnlyOnceTheServiceOwnsItsNameAndLosingItEndsTheJob() throws Exception {
        try (BootedDaemon daemon = daemon()
                .job("late", "dbus session-bus org.upshot.it.Late\nexec %s %s org.upshot.it.Late 1.5\n"
                        .formatted(PYTHON, service)).boot()) {
            awaitClaimed(daemon);
            long began = System.nanoTime();
            CommandResult started = CommandResult.initctl(daemon, "start", "late");
            long tookMillis = (System.nanoTime() - began) / 1_000_000;
            assertEquals(0, started.status(), started::output);
            assertTrue(tookMillis >= 1400, () -> "start returned after " + tookMillis + " ms, before the name");
            assertTrue(bus.hasOwner("org.upshot.it.Late"), "the name is owned when start returns");

            // the service gives its name up: the job is treated as gone
            long pid = daemon.awaitRunning("late");
            PrivateBus.Result released = bus.call("org.upshot.it.Late", "/org/upshot/Test", "org.upshot.Test.Release");
            // the daemon ends the service as soon as the name goes, which may be before its reply is out
            assertTrue(released.status() == 0 || released.output().contains("Error.NoReply"), released::output);
            daemon.awaitStopped("late");
            Await.until(Duration.ofSeconds(10), () -> ProcessHandle.of(pid).isEmpty(), () -> pid + " still runs");
            assertTrue(daemon.log().contains("late gave up org.upshot.it.Late"), daemon::logTail);
        }
    }

    /** upstart-dbus-bridge's event: a signal a condition asks for starts the job with its arguments. */
    @Test
    @Timeout(120)
    void aSignalStartsAJobWithItsArgumentsInTheEnvironment() throws Exception {
        try (BootedDaemon daemon = daemon()
                .job("hello", "start on dbus SIGNAL=Hello INTERFACE=org.upshot.Test ARG0=world\nexec sleep 600\n")
                .boot()) {
            daemon.awaitStopped("hello");
            Await.until(Duration.ofSeconds(20), () -> {
                try {
                    // not another of the interface's signals, nor this one with another ARG0
                    bus.run(Duration.ofSeconds(10), "dbus-send", "--bus=" + bus.address(), "--type=signal",
                            "/org/upshot/Obj", "org.upshot.Test.Hello", "string:moon");
                    bus.run(Duration.ofSeconds(10), "dbus-send", "--bus=" + bus.address(), "--type=signal",
                            "/org/upshot/Obj", "org.upshot.Test.Bye", "string:world");
                    Thread.sleep(300);
                    if (!daemon.isStopped("hello")) {
                        return true;
                    }
                    bus.run(Duration.ofSeconds(10), "dbus-send", "--bus=" + bus.address(), "--type=signal",
                            "/org/upshot/Obj", "org.upshot.Test.Hello", "string:world", "int32:7", "boolean:false");
                    Thread.sleep(300);
                    return !daemon.isStopped("hello");
                } catch (Exception e) {
                    return false;
                }
            }, () -> "hello never started\n" + daemon.logTail());
            long pid = daemon.awaitRunning("hello");
            List<String> environment = List.of(Files.readString(Path.of("/proc", Long.toString(pid), "environ"))
                    .split("\0"));
            for (String expected : List.of("UPSTART_EVENTS=dbus", "SIGNAL=Hello", "INTERFACE=org.upshot.Test",
                    "OBJPATH=/org/upshot/Obj", "ARG0=world", "ARG1=7", "ARG2=FALSE", "BUS=session")) {
                assertTrue(environment.contains(expected), () -> expected + " in " + environment);
            }
            assertTrue(environment.stream().anyMatch(variable -> variable.startsWith("SENDER=:")),
                    environment::toString);
        }
    }
}
