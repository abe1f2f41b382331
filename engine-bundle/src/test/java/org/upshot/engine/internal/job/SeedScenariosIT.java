package org.upshot.engine.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.upshot.engine.internal.job.EngineHarness.alive;
import static org.upshot.engine.internal.job.EngineHarness.await;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.upshot.engine.internal.api.ControlException;
import org.upshot.event.Event;
import org.upshot.event.EventResult;
import org.upshot.job.InstanceView;
import org.upshot.job.ProcessKind;

/** The scenarios of the seed posts (SPEC §3, §4), each on real processes. */
@Timeout(60)
class SeedScenariosIT {

    private static String sobby(EngineHarness h) {
        // counts its runs, then waits to be killed
        return "exec sh -c 'echo run >> " + h.file("runs") + "; exec sleep 1000'";
    }

    @Test
    void sobbyIsRespawnedAfterACrash() throws Exception {
        // respawn: a crash (SEGV) restarts the daemon under a new pid, goal still start.
        try (EngineHarness h = new EngineHarness()) {
            h.job("sobby", sobby(h), "respawn", "respawn limit 10 5", "normal exit 0 ABRT").load();
            int first = h.start("sobby").processes().get(ProcessKind.MAIN);
            await("first run recorded", () -> h.lines("runs").size() == 1);
            EngineHarness.LAUNCHER_FOR_TESTS.signal(first, 11);
            await("respawned", () -> h.lines("runs").size() == 2 && h.running("sobby"));
            int second = h.mainPid("sobby");
            assertNotEquals(first, second);
            assertTrue(alive(second));
            assertFalse(h.jobEvents().contains("stopped sobby"), "no stopped event between runs");
            Event stopping = h.lastEvent("stopping", "sobby").orElseThrow();
            assertEquals("ok", stopping.get("RESULT").orElseThrow());
        }
    }

    @Test
    void sobbyStopsOnANormalAbrtWithoutRespawning() throws Exception {
        // normal exit 0 ABRT: ABRT ends the job as a normal exit.
        try (EngineHarness h = new EngineHarness()) {
            h.job("sobby", sobby(h), "respawn", "respawn limit 10 5", "normal exit 0 ABRT").load();
            int pid = h.start("sobby").processes().get(ProcessKind.MAIN);
            await("first run recorded", () -> h.lines("runs").size() == 1);
            EngineHarness.LAUNCHER_FOR_TESTS.signal(pid, 6);
            await("stopped", () -> h.stopped("sobby"));
            assertEquals(1, h.lines("runs").size());
            assertEquals("ok", h.lastEvent("stopped", "sobby").orElseThrow().get("RESULT").orElseThrow());
        }
    }

    @Test
    void sobbyRespawningTooFastIsStoppedAsFailed() throws Exception {
        // respawn limit 10 5: the eleventh crash within 5 s stops the job, PROCESS=respawn.
        try (EngineHarness h = new EngineHarness()) {
            h.job("sobby", "exec sh -c 'echo run >> " + h.file("runs") + "; exit 3'", "respawn",
                    "respawn limit 10 5", "normal exit 0 ABRT").load();
            h.control.start("sobby", List.of(), false);
            await("given up", () -> h.lastEvent("stopped", "sobby").isPresent());
            assertEquals(11, h.lines("runs").size(), "first run and ten respawns");
            Event stopped = h.lastEvent("stopped", "sobby").orElseThrow();
            assertEquals("stopped JOB=sobby INSTANCE= RESULT=failed PROCESS=respawn", stopped.toString());
        }
    }

    @Test
    void gettyInstancesPerTtyAndASecondStartIsAlreadyRunning() throws Exception {
        // instance $TTY: one getty per tty; start getty TTY=tty1 twice answers already running.
        try (EngineHarness h = new EngineHarness()) {
            h.job("getty", "start on tty-added", "stop on tty-removed TTY=$TTY", "instance $TTY",
                    "exec sh -c 'exec sleep 1000' $TTY").load();
            InstanceView tty1 = h.start("getty", "TTY=tty1");
            InstanceView tty2 = h.start("getty", "TTY=tty2");
            assertEquals("tty1", tty1.instance());
            assertNotEquals(tty1.processes().get(ProcessKind.MAIN), tty2.processes().get(ProcessKind.MAIN));
            ControlException again = assertThrows(ControlException.class, () -> h.start("getty", "TTY=tty1"));
            assertEquals("Job is already running: getty (tty1)", again.getMessage());

            assertEquals(EventResult.OK, h.emit("tty-added", "TTY=tty3"));
            int tty3 = h.instance("getty", "tty3").orElseThrow().processes().get(ProcessKind.MAIN);
            assertTrue(EngineHarness.environ(tty3).contains("TTY=tty3\0"));
            // stop on tty-removed TTY=$TTY binds each instance to its own tty
            assertEquals(EventResult.OK, h.emit("tty-removed", "TTY=tty3"));
            assertTrue(h.instance("getty", "tty3").isEmpty());
            assertEquals(2, h.status("getty").instances().size());
            await("tty3 getty gone", () -> !alive(tty3));
        }
    }

    @Test
    void halStopsFullyBeforeDbusStops() throws Exception {
        // start on started dbus / stop on stopping dbus: HAL follows D-Bus up and goes first down.
        try (EngineHarness h = new EngineHarness()) {
            h.job("dbus", "exec sleep 1000");
            h.job("hal", "start on started dbus", "stop on stopping dbus",
                    "exec sleep 1000",
                    // when HAL is gone, D-Bus must still be running
                    "post-stop exec sh -c 'pgrep -f \"^sleep 1001\" >/dev/null && echo dbus-alive > "
                            + h.file("hal-post-stop") + "'");
            h.job("dbus", "exec sleep 1001").load();
            h.start("dbus");
            await("hal running", () -> h.running("hal"));
            int hal = h.mainPid("hal");
            h.stop("dbus");
            assertTrue(h.stopped("hal"));
            assertFalse(alive(hal));
            await("stopped dbus", () -> h.jobEvents().contains("stopped dbus"));
            assertEquals(List.of("dbus-alive"), h.lines("hal-post-stop"));
            List<String> events = h.jobEvents();
            assertTrue(events.indexOf("stopped hal") < events.indexOf("stopped dbus"), events.toString());
            assertTrue(events.indexOf("stopping dbus") < events.indexOf("stopping hal"), events.toString());
        }
    }

    @Test
    void portmapStartsBeforeNfsServerAndStopsAfterIt() throws Exception {
        // start on starting nfs-server / stop on stopped nfs-server.
        try (EngineHarness h = new EngineHarness()) {
            h.job("nfs-server", "exec sleep 1000");
            h.job("portmap", "start on starting nfs-server", "stop on stopped nfs-server", "exec sleep 1000").load();
            h.start("nfs-server");
            assertTrue(h.running("portmap"));
            await("started nfs-server", () -> h.jobEvents().contains("started nfs-server"));
            List<String> up = h.jobEvents();
            assertEquals(List.of("starting nfs-server", "starting portmap", "started portmap", "started nfs-server"),
                    up);
            h.stop("nfs-server");
            await("portmap stopped", () -> h.stopped("portmap"));
            List<String> events = h.jobEvents();
            assertTrue(events.indexOf("stopped nfs-server") < events.indexOf("stopping portmap"), events.toString());
        }
    }

    @Test
    void backupTaskRunsWhenHersqlDiesOfSegv() throws Exception {
        // start on stopping hersql RESULT=failed EXIT_SIGNAL=SEGV, while hersql still waits.
        try (EngineHarness h = new EngineHarness()) {
            h.job("hersql", "exec sleep 1000");
            h.job("hersql-backup", "start on stopping hersql RESULT=failed EXIT_SIGNAL=SEGV", "task",
                    "exec sh -c 'echo \"$JOB $RESULT $PROCESS $EXIT_SIGNAL\" >> " + h.file("backup") + "'").load();
            // a normal stop does not back up
            h.start("hersql");
            h.stop("hersql");
            assertEquals(List.of(), h.lines("backup"));

            int pid = h.start("hersql").processes().get(ProcessKind.MAIN);
            await("hersql exec'd", () -> EngineHarness.proc(pid, "cmdline").startsWith("sleep"));
            EngineHarness.LAUNCHER_FOR_TESTS.signal(pid, 11);
            await("hersql stopped", () -> h.lastEvent("stopped", "hersql").map(e -> e.get("RESULT").orElse(""))
                    .filter("failed"::equals).isPresent());
            assertEquals(List.of("hersql failed main SEGV"), h.lines("backup"));
            List<String> events = h.jobEvents();
            int lastStopping = events.lastIndexOf("stopping hersql");
            assertTrue(lastStopping < events.lastIndexOf("stopped hersql-backup"));
            assertTrue(events.lastIndexOf("stopped hersql-backup") < events.lastIndexOf("stopped hersql"),
                    "the backup finished before hersql was let go: " + events);
        }
    }

    @Test
    void interfaceUpMatchesByGlobAndByPosition() throws Exception {
        // start on interface-up IFACE=eth* ADDRFAM=Ethernet, and the positional short form.
        try (EngineHarness h = new EngineHarness()) {
            h.job("eth-job", "start on interface-up IFACE=eth* ADDRFAM=Ethernet", "exec sleep 1000");
            h.job("wlan-job", "start on interface-up wlan*", "exec sleep 1000").load();
            h.emit("interface-up", "IFACE=wlan0", "ADDRFAM=Ethernet");
            assertFalse(h.running("eth-job"));
            assertTrue(h.running("wlan-job"));
            h.emit("interface-up", "IFACE=eth0", "ADDRFAM=Wireless");
            assertFalse(h.running("eth-job"));
            h.emit("interface-up", "IFACE=eth0", "ADDRFAM=Ethernet", "ADDRESS=01:23:45:67:89:0a");
            assertTrue(h.running("eth-job"));
            String environ = EngineHarness.environ(h.mainPid("eth-job"));
            assertTrue(environ.contains("\0IFACE=eth0\0"), environ);
            assertTrue(environ.contains("\0UPSTART_EVENTS=interface-up\0"), environ);
        }
    }

    @Test
    void aUpAndBUpBothNeededAgainAfterAStop() throws Exception {
        // start on a-up and b-up / stop on a-down or b-down.
        try (EngineHarness h = new EngineHarness()) {
            h.job("ab", "start on a-up and b-up", "stop on a-down or b-down", "exec sleep 1000").load();
            h.emitNoWait("a-up");
            h.emit("b-down");
            assertFalse(h.running("ab"));
            assertEquals(EventResult.OK, h.emit("b-up"));
            assertTrue(h.running("ab"));
            String environ = EngineHarness.environ(h.mainPid("ab"));
            assertTrue(environ.contains("\0UPSTART_EVENTS=a-up b-up\0"), environ);
            h.emit("b-down");
            assertTrue(h.stopped("ab"));
            // b-up alone is held by its leaf (and so not finished): a-up must come again
            h.emitNoWait("b-up");
            assertTrue(h.stopped("ab"));
            h.emitNoWait("a-up");
            await("ab running again", () -> h.running("ab"));
        }
    }
}
