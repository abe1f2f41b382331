package org.upshot.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.upshot.process.internal.PosixProcessLauncherTest.ENV;
import static org.upshot.process.internal.PosixProcessLauncherTest.WAIT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.upshot.process.Host;
import org.upshot.process.PosixException;
import org.upshot.process.ProcessExit;
import org.upshot.process.Signals;
import org.upshot.process.SpawnRequest;

/** The daemon's own process: identity, signals, children and the subreaper flag. */
@Timeout(20)
class NativeHostTest {

    static final NativeHost host = new NativeHost();
    static PosixProcessLauncher launcher;
    static ExitRecorder exits;

    @BeforeAll
    static void startLauncher() {
        launcher = new PosixProcessLauncher();
        exits = new ExitRecorder();
        launcher.addExitListener(exits);
    }

    @AfterAll
    static void stopLauncher() {
        launcher.close();
    }

    @Test
    void pidAndEuidAreTheJvmsOwn() throws Exception {
        assertEquals(ProcessHandle.current().pid(), host.pid());
        String uid = ProcFs.status(host.pid(), "Uid").split("\t")[1];
        assertEquals(Integer.parseInt(uid), host.euid());
    }

    @Test
    void childrenListsASpawnedProcessUntilItIsReaped() throws Exception {
        int pid = launcher.spawn(SpawnRequest.of(List.of("sleep", "30"), ENV));
        assertTrue(host.children().contains(pid));
        launcher.signal(pid, Signals.KILL);
        exits.awaitExit(pid, WAIT);
        assertFalse(host.children().contains(pid));
    }

    @Test
    void handledSignalRunsTheHandler() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        host.onSignal(10, received::countDown);
        launcher.signal(host.pid(), 10);
        assertTrue(received.await(10, TimeUnit.SECONDS), "USR1 handler ran");
    }

    @Test
    void unsupportedSignalIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> host.onSignal(Signals.KILL, () -> { }));
        assertThrows(IllegalArgumentException.class, () -> host.onSignal(12, () -> { }));
    }

    @Test
    void rebootWithABadCommandIsRefusedWithoutRebooting() {
        PosixException e = assertThrows(PosixException.class, () -> host.reboot(0x12345));
        assertEquals("reboot", e.call());
        assertTrue(e.errno() == LibC.EINVAL || e.errno() == LibC.EPERM, e.getMessage());
    }

    @Test
    void subreaperAdoptsADoubleForkedGrandchildAndTheReaperReportsItsDeath() throws Exception {
        host.becomeChildSubreaper();
        assertEquals(1, subreaperFlag());
        int shell = launcher.spawn(SpawnRequest.of(List.of("sh", "-c", "(sleep 31 &) ; exit 0"), ENV));
        assertEquals(0, exits.awaitExit(shell, WAIT).exitCode());
        Await.until("the orphaned sleep among our children", WAIT, () -> orphanedSleep() > 0);
        int daemon = orphanedSleep();
        assertTrue(exits.reports(daemon).isEmpty());
        launcher.signal(daemon, Signals.TERM);
        ProcessExit exit = exits.awaitExit(daemon, WAIT);
        assertEquals(Signals.TERM, exit.signal());
        assertEquals(1, exits.reports(daemon).size(), "reported exactly once");
    }

    /** prctl(PR_GET_CHILD_SUBREAPER): the flag is not shown in /proc. */
    private static int subreaperFlag() throws PosixException {
        jnr.ffi.Pointer flag = Native.allocate(4);
        Native.check(Native.libc().prctl(37, flag.address(), 0, 0, 0), "prctl", "PR_GET_CHILD_SUBREAPER");
        return flag.getInt(0);
    }

    private static int orphanedSleep() {
        for (int pid : host.children()) {
            try {
                String cmdline = Files.readString(Path.of("/proc", Integer.toString(pid), "cmdline"));
                if (cmdline.equals("sleep\0" + "31\0")) {
                    return pid;
                }
            } catch (java.io.IOException gone) {
                // exited meanwhile
            }
        }
        return -1;
    }
}
