package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.source.dbus.PrivateBus;
import org.upshot.testkit.Await;
import org.upshot.testkit.BootedDaemon;

/**
 * Upstart's D-Bus API ({@code com.ubuntu.Upstart0_6}) served on a private session bus
 * ({@code -Dupshot.dbus.api=session}), driven by real clients, {@code gdbus} and
 * {@code dbus-send}: object paths escaped as nih did, replies held until the job is at
 * rest, Upstart's error names.
 */
class DbusUpstartApiIT {

    private static final Path GDBUS = Path.of("/usr/bin/gdbus");

    @TempDir
    Path work;

    private static PrivateBus.Result gdbus(PrivateBus bus, String path, String method, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(GDBUS.toString(), "call", "--address", bus.address(),
                "--dest", "com.ubuntu.Upstart", "--object-path", path, "--method", method));
        command.addAll(List.of(args));
        return bus.run(Duration.ofSeconds(60), command.toArray(String[]::new));
    }

    @Test
    @Timeout(120)
    void gdbusAndDbusSendDriveJobsThroughUpstartsApi() throws Exception {
        Prerequisites.requireInstalled(DbusUpstartApiIT.class, "dbus libglib2.0-bin", Path.of("/usr/bin/dbus-daemon"),
                GDBUS);
        try (PrivateBus bus = new PrivateBus(work.resolve("bus")).start();
                BootedDaemon daemon = BootedDaemon.in(work.resolve("daemon"))
                        .plugins(BootedDaemon.distroPlugin("source-dbus"))
                        .environment("DBUS_SESSION_BUS_ADDRESS", bus.address())
                        .javaOptions("-Dupshot.dbus.api=session")
                        .job("network-interface", "description \"a service\"\nexec sleep 600\n")
                        .job("greeter", "start on hello\ntask\nexec true\n")
                        .boot()) {
            Await.until(Duration.ofSeconds(20), () -> {
                try {
                    return bus.hasOwner("com.ubuntu.Upstart");
                } catch (Exception e) {
                    return false;
                }
            }, () -> "com.ubuntu.Upstart never owned\n" + daemon.logTail());
            String root = "/com/ubuntu/Upstart";
            String job = root + "/jobs/network_2dinterface";

            PrivateBus.Result byName = gdbus(bus, root, "com.ubuntu.Upstart0_6.GetJobByName", "network-interface");
            assertEquals("(objectpath '" + job + "',)\n", byName.output(), byName::output);
            PrivateBus.Result all = gdbus(bus, root, "com.ubuntu.Upstart0_6.GetAllJobs");
            assertTrue(all.output().contains("'" + root + "/jobs/greeter'") && all.output().contains("'" + job + "'"),
                    all::output);
            PrivateBus.Result greeter = gdbus(bus, root + "/jobs/greeter", "org.freedesktop.DBus.Properties.GetAll",
                    "com.ubuntu.Upstart0_6.Job");
            assertTrue(greeter.output().contains("'start_on': <[['hello']]>"), greeter::output);
            assertTrue(greeter.output().contains("'name': <'greeter'>"), greeter::output);
            PrivateBus.Result unknown = gdbus(bus, root, "com.ubuntu.Upstart0_6.GetJobByName", "nosuch");
            assertNotEquals(0, unknown.status());
            assertTrue(unknown.output().contains("com.ubuntu.Upstart0_6.Error.UnknownJob"), unknown::output);

            // Start(env, wait) replies once the instance runs, with its path: a singleton's is _
            PrivateBus.Result started = gdbus(bus, job, "com.ubuntu.Upstart0_6.Job.Start", "['A=B']", "true");
            assertEquals("(objectpath '" + job + "/_',)\n", started.output(), started::output);
            long pid = daemon.awaitRunning("network-interface");
            PrivateBus.Result instances = gdbus(bus, job, "com.ubuntu.Upstart0_6.Job.GetAllInstances");
            assertEquals("([objectpath '" + job + "/_'],)\n", instances.output(), instances::output);
            PrivateBus.Result properties = gdbus(bus, job + "/_", "org.freedesktop.DBus.Properties.GetAll",
                    "com.ubuntu.Upstart0_6.Instance");
            assertTrue(properties.output().contains("'state': <'running'>"), properties::output);
            assertTrue(properties.output().contains("'goal': <'start'>"), properties::output);
            assertTrue(properties.output().contains("'processes': <[('main', " + pid + ")]>"), properties::output);
            PrivateBus.Result again = gdbus(bus, job, "com.ubuntu.Upstart0_6.Job.Start", "@as []", "true");
            assertTrue(again.output().contains("com.ubuntu.Upstart0_6.Error.AlreadyStarted"), again::output);

            // the signals, as gdbus monitor sees them
            Path signals = work.resolve("signals.txt");
            ProcessBuilder watching = new ProcessBuilder(GDBUS.toString(), "monitor", "--address", bus.address(),
                    "--dest", "com.ubuntu.Upstart").redirectErrorStream(true).redirectOutput(signals.toFile());
            Process monitor = watching.start();
            try {
                Thread.sleep(500); // gdbus monitor subscribes
                daemon.job("added", "exec sleep 600\n");
            // dbus-send: Stop, then EmitEvent waiting for the task it starts
            PrivateBus.Result stopped = bus.run(Duration.ofSeconds(60), "dbus-send", "--bus=" + bus.address(),
                    "--print-reply", "--dest=com.ubuntu.Upstart", job, "com.ubuntu.Upstart0_6.Job.Stop",
                    "array:string:", "boolean:true");
            assertEquals(0, stopped.status(), stopped::output);
            assertTrue(daemon.isStopped("network-interface"));
            PrivateBus.Result emitted = bus.run(Duration.ofSeconds(60), "dbus-send", "--bus=" + bus.address(),
                    "--print-reply", "--dest=com.ubuntu.Upstart", root, "com.ubuntu.Upstart0_6.EmitEvent",
                    "string:hello", "array:string:WHO=world", "boolean:true");
            assertEquals(0, emitted.status(), emitted::output);
            assertTrue(daemon.log().contains("greeter"), daemon::logTail);
                Await.until(Duration.ofSeconds(20), () -> read(signals).contains(
                        "com.ubuntu.Upstart0_6.EventEmitted ('hello', ['WHO=world'])")
                        && read(signals).contains("com.ubuntu.Upstart0_6.JobAdded (objectpath '" + root
                        + "/jobs/added',)") && read(signals).contains(
                        "com.ubuntu.Upstart0_6.Instance.StateChanged ('running',)"), () -> read(signals));
            } finally {
                monitor.destroy();
            }
            PrivateBus.Result bad = gdbus(bus, root, "com.ubuntu.Upstart0_6.EmitEvent", "hello", "['novalue']", "false");
            assertTrue(bad.output().contains("org.freedesktop.DBus.Error.InvalidArgs"), bad::output);
        }
    }

    /** On a session bus only the daemon's own user (root here) may change anything; others may read. */
    @Test
    @Timeout(120)
    void anotherUserMayListButNotStart() throws Exception {
        Path setpriv = Path.of("/usr/bin/setpriv");
        Prerequisites.requireInstalled(DbusUpstartApiIT.class, "dbus util-linux", Path.of("/usr/bin/dbus-daemon"),
                setpriv);
        org.junit.jupiter.api.Assumptions.assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"),
                "needs root to run a client as nobody");
        // a bus nobody can reach: the test's own directory is 0700
        Path open = java.nio.file.Files.createTempDirectory("upshot-dbus-api");
        java.nio.file.Files.setPosixFilePermissions(open,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (PrivateBus bus = new PrivateBus(open.resolve("bus")).start();
                BootedDaemon daemon = BootedDaemon.in(work.resolve("daemon"))
                        .plugins(BootedDaemon.distroPlugin("source-dbus"))
                        .environment("DBUS_SESSION_BUS_ADDRESS", bus.address())
                        .javaOptions("-Dupshot.dbus.api=session")
                        .job("svc", "exec sleep 600\n")
                        .boot()) {
            java.nio.file.Files.setPosixFilePermissions(open.resolve("bus"),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Await.until(Duration.ofSeconds(20), () -> {
                try {
                    return bus.hasOwner("com.ubuntu.Upstart");
                } catch (Exception e) {
                    return false;
                }
            }, () -> "com.ubuntu.Upstart never owned\n" + daemon.logTail());
            List<String> asNobody = List.of(setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
                    "dbus-send", "--bus=" + bus.address(), "--print-reply", "--dest=com.ubuntu.Upstart");
            List<String> list = new ArrayList<>(asNobody);
            list.addAll(List.of("/com/ubuntu/Upstart", "com.ubuntu.Upstart0_6.GetAllJobs"));
            PrivateBus.Result listed = bus.run(Duration.ofSeconds(60), list.toArray(String[]::new));
            assertEquals(0, listed.status(), listed::output);
            assertTrue(listed.output().contains("/com/ubuntu/Upstart/jobs/svc"), listed::output);
            List<String> start = new ArrayList<>(asNobody);
            start.addAll(List.of("/com/ubuntu/Upstart/jobs/svc", "com.ubuntu.Upstart0_6.Job.Start", "array:string:",
                    "boolean:true"));
            PrivateBus.Result refused = bus.run(Duration.ofSeconds(60), start.toArray(String[]::new));
            assertNotEquals(0, refused.status(), refused::output);
            assertTrue(refused.output().contains("com.ubuntu.Upstart0_6.Error.PermissionDenied"), refused::output);
            assertTrue(daemon.isStopped("svc"));
        } finally {
            try (var files = java.nio.file.Files.walk(open)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static String read(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
