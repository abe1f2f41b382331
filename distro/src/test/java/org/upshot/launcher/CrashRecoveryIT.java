package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.Await;
import org.upshot.testkit.BootedDaemon;

/**
 * A session daemon killed with SIGKILL leaves its jobs running; one started again on the
 * same runtime directory adopts them, with their pids, instead of starting them twice,
 * and supervises them from then on: an adopted process that dies is respawned, a stop
 * ends one.
 */
class CrashRecoveryIT {
    private static final Duration WAIT = BootedDaemon.WAIT;

    @TempDir
    Path work;

    /** Every job process these tests made, ended by pid whatever happens. */
    private final List<Long> started = new ArrayList<>();

    @AfterEach
    void endWhatIsLeft() {
        started.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    @Timeout(120)
    void aDaemonStartedAfterOneWasKilledAdoptsItsRunsInsteadOfStartingThemTwice() throws Exception {
        Path first = work.resolve("first");
        long boot;
        long manual;
        long one;
        long two;
        try (DaemonProcess daemon = DaemonProcess.start(first)) {
            daemon.job("boot", "start on startup\nrespawn\nexec sleep 1001\n");
            daemon.job("manual", "exec sleep 1002\n");
            daemon.job("worker", "instance $N\nexec sleep 1003\n");
            boot = remember(daemon.awaitRunning("boot"));
            daemon.startJob("manual");
            manual = remember(daemon.awaitRunning("manual"));
            one = remember(start(daemon, "worker", "N=1"));
            two = remember(start(daemon, "worker", "N=2"));

            CommandResult killed = CommandResult.run("kill", "-KILL", Long.toString(daemon.pid()));
            assertEquals(0, killed.status(), killed.output());
            Await.until(WAIT, () -> !daemon.isAlive(), () -> "the daemon to die");
        }
        for (long pid : List.of(boot, manual, one, two)) {
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "job process " + pid
                    + " outlives its daemon");
        }

        // the same job files and runtime directory, under a work directory of its own
        Path second = Files.createDirectories(work.resolve("second"));
        Files.createSymbolicLink(second.resolve("conf"), first.resolve("conf"));
        Files.createSymbolicLink(second.resolve("run"), first.resolve("run"));
        try (DaemonProcess again = DaemonProcess.start(second)) {
            again.awaitLog("boot adopted: its main process \\(" + boot + "\\) was left running by the daemon before");
            assertEquals(boot, again.awaitRunning("boot"), "startup did not start boot again");
            assertEquals(manual, again.awaitRunning("manual"));
            String workers = again.initctl("status", "worker").output();
            assertTrue(workers.contains("worker (1) start/running, process " + one + "\n"), workers);
            assertTrue(workers.contains("worker (2) start/running, process " + two + "\n"), workers);
            for (String command : List.of("sleep 1001", "sleep 1002", "sleep 1003")) {
                long copies = ProcTable.pidsOf(command).size();
                assertEquals(command.endsWith("1003") ? 2 : 1, copies, "no second copy of " + command);
            }

            // supervised from now on: a death is seen (with no status: not its child) and respawned
            CommandResult shot = CommandResult.run("kill", "-KILL", Long.toString(boot));
            assertEquals(0, shot.status(), shot.output());
            Await.until(WAIT, () -> again.runningPid("boot").filter(pid -> pid != boot).isPresent(),
                    () -> "boot respawned; log:\n" + again.logTail());
            remember(again.runningPid("boot").orElseThrow());
            assertNotEquals(boot, again.awaitRunning("boot"));

            // and a stop ends an adopted process
            again.stopJob("manual");
            Await.until(WAIT, () -> gone(manual), () -> "manual's process to end");
            assertEquals(0, again.stop(WAIT), again.logTail());
        }
        // ended by the clean stop; their reaper is not the daemon, so they may linger a moment as zombies
        for (long pid : List.of(one, two)) {
            Await.until(WAIT, () -> gone(pid), () -> "the clean stop to end adopted worker " + pid);
        }
    }

    /** Whether a process has ended: gone, or a zombie that its reaper has yet to collect. */
    private static boolean gone(long pid) {
        ProcTable.Proc process = ProcTable.process(pid);
        return process == null || process.state() == 'Z';
    }

    private long remember(long pid) {
        started.add(pid);
        return pid;
    }

    private static long start(DaemonProcess daemon, String job, String env) throws Exception {
        CommandResult started = daemon.initctl("start", job, env);
        assertEquals(0, started.status(), started.output());
        String out = started.output();
        return Long.parseLong(out.substring(out.lastIndexOf(' ') + 1).trim());
    }
}
