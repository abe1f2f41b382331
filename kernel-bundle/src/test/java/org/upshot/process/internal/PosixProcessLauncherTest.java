package org.upshot.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.upshot.process.PosixException;
import org.upshot.process.ProcessAttributes;
import org.upshot.process.ProcessExit;
import org.upshot.process.Signals;
import org.upshot.process.SpawnRequest;
import org.upshot.process.Stdio;

/** Plain spawns (no set-up preamble) checked on the real processes through /proc. */
@Timeout(20)
class PosixProcessLauncherTest extends LauncherTestBase {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final List<String> ENV = List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "A=1", "B=two words");

    static final String SLEEP = "/usr/bin/sleep";

    static SpawnRequest request(Stdio stdio, List<Integer> fds, String... argv) {
        return new SpawnRequest(List.of(argv), ENV, Path.of("/"), stdio, fds, ProcessAttributes.NONE, false);
    }

    static int spawnSleeper() throws PosixException {
        return sleeper(request(new Stdio.Null(), List.of(), "sleep", "30"));
    }

    /** Spawns a request for {@code sleep} and waits until it really runs sleep. */
    static int sleeper(SpawnRequest request) throws PosixException {
        int pid = launcher.spawn(request);
        ProcFs.awaitSleeping(pid, SLEEP);
        return pid;
    }

    static ProcessExit kill(int pid) throws PosixException {
        launcher.signal(pid, Signals.KILL);
        return exits.awaitExit(pid, WAIT);
    }

    @Test
    void childLeadsItsOwnSessionAndProcessGroup() throws Exception {
        int pid = spawnSleeper();
        assertEquals(String.valueOf(pid), ProcFs.statField(pid, 5), "pgrp");
        assertEquals(String.valueOf(pid), ProcFs.statField(pid, 6), "session");
        kill(pid);
    }

    @Test
    void childHasEmptySignalMaskAndNoIgnoredSignals() throws Exception {
        int pid = spawnSleeper();
        assertEquals("0000000000000000", ProcFs.status(pid, "SigBlk"));
        assertEquals("0000000000000000", ProcFs.status(pid, "SigIgn"));
        kill(pid);
    }

    @Test
    void environmentIsExactlyTheRequested() throws Exception {
        int pid = spawnSleeper();
        assertEquals(ENV, ProcFs.environ(pid));
        kill(pid);
    }

    @Test
    void workingDirectoryIsSet() throws Exception {
        int pid = sleeper(new SpawnRequest(List.of("sleep", "30"), ENV, tmp, new Stdio.Null(), List.of(),
                ProcessAttributes.NONE, false));
        assertEquals(tmp.toRealPath(), Files.readSymbolicLink(ProcFs.dir(pid).resolve("cwd")));
        kill(pid);
    }

    @Test
    void nullStdioPutsAllThreeOnDevNullAndClosesTheRest() throws Exception {
        int pid = spawnSleeper();
        assertEquals(Map.of(0, "/dev/null", 1, "/dev/null", 2, "/dev/null"), ProcFs.fds(pid));
        kill(pid);
    }

    @Test
    void inheritedDescriptorsArriveInOrderFromThreeAndNothingElse() throws Exception {
        Path first = Files.createFile(tmp.resolve("first"));
        Path second = Files.createFile(tmp.resolve("second"));
        int a = Native.check(Native.libc().open(first.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC, 0), "open", "");
        int b = Native.check(Native.libc().open(second.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC, 0), "open", "");
        try {
            // Passed in reverse, so that the descriptor bound for 3 may be one of the sources.
            int pid = sleeper(request(new Stdio.Null(), List.of(b, a), "sleep", "30"));
            Map<Integer, String> fds = ProcFs.fds(pid);
            assertEquals(List.of(0, 1, 2, 3, 4), List.copyOf(fds.keySet()));
            assertEquals(second.toString(), fds.get(3));
            assertEquals(first.toString(), fds.get(4));
            kill(pid);
        } finally {
            Native.libc().close(a);
            Native.libc().close(b);
        }
    }

    @Test
    void consoleStdioPutsAllThreeOnTheConsole() throws Exception {
        Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/console")) || skip("/dev/console is not writable"));
        int pid = sleeper(request(new Stdio.Console(false), List.of(), "sleep", "30"));
        assertEquals(Map.of(0, "/dev/console", 1, "/dev/console", 2, "/dev/console"), ProcFs.fds(pid));
        kill(pid);
    }

    @Test
    void inheritStdioKeepsTheDaemonsOwnDescriptors() throws Exception {
        Map<Integer, String> own = ProcFs.fds(Math.toIntExact(ProcessHandle.current().pid()));
        int pid = sleeper(request(new Stdio.Inherit(), List.of(), "sleep", "30"));
        Map<Integer, String> fds = ProcFs.fds(pid);
        assertEquals(List.of(0, 1, 2), List.copyOf(fds.keySet()));
        for (int fd = 0; fd <= 2; fd++) {
            assertEquals(own.get(fd), fds.get(fd), "fd " + fd);
        }
        kill(pid);
    }

    static boolean skip(String reason) {
        System.out.println("skipped: " + reason);
        return false;
    }

    @Test
    void logStdioAppendsStdoutAndStderrToTheFile() throws Exception {
        Path log = tmp.resolve("job.log");
        Files.writeString(log, "before\n");
        int pid = launcher.spawn(request(new Stdio.Log(log), List.of(), "sh", "-c", "echo out; echo err >&2"));
        assertEquals(0, exits.awaitExit(pid, WAIT).exitCode());
        assertEquals("before\nout\nerr\n", Files.readString(log));
    }

    @Test
    void missingLogDirectoryFailsTheSpawnNamingTheLog() {
        Path log = tmp.resolve("missing/job.log");
        PosixException e = assertThrows(PosixException.class,
                () -> launcher.spawn(request(new Stdio.Log(log), List.of(), "true")));
        assertEquals(LibC.ENOENT, e.errno());
        assertTrue(e.getMessage().contains(log.toString()), e.getMessage());
    }

    @Test
    void exitCodeIsDecoded() throws Exception {
        int pid = launcher.spawn(request(new Stdio.Null(), List.of(), "sh", "-c", "exit 7"));
        ProcessExit exit = exits.awaitExit(pid, WAIT);
        assertTrue(exit.exited());
        assertEquals(7, exit.exitCode());
        assertEquals(7, exit.normalExitKey());
    }

    @Test
    void killingSignalIsDecoded() throws Exception {
        int pid = spawnSleeper();
        assertTrue(launcher.signal(pid, Signals.TERM));
        ProcessExit exit = exits.awaitExit(pid, WAIT);
        assertTrue(exit.signalled());
        assertFalse(exit.exited());
        assertEquals(Signals.TERM, exit.signal());
        assertEquals(Signals.TERM << 8, exit.normalExitKey());
    }

    @Test
    void stoppedChildIsReportedThenItsExit() throws Exception {
        int pid = spawnSleeper();
        launcher.signal(pid, Signals.STOP);
        ProcessExit stop = exits.awaitStop(pid, WAIT);
        assertEquals(Signals.STOP, stop.stopSignal());
        assertFalse(stop.exited() || stop.signalled());
        assertEquals(Signals.KILL, kill(pid).signal());
    }

    @Test
    void serialSpawnsAreReapedWithoutWaitingForTheIdleRecheck() throws Exception {
        // Regression: the reaper was woken before the child existed, found none, and
        // then slept its one-second idle recheck with the child unreaped.
        int slow = 0;
        for (int i = 0; i < 40; i++) {
            long start = System.nanoTime();
            exits.awaitExit(launcher.spawn(request(new Stdio.Null(), List.of(), "true")), WAIT);
            if (System.nanoTime() - start > 900_000_000L) {
                slow++;
            }
        }
        assertTrue(slow < 10, slow + " of 40 exits took the idle recheck's second or longer");
    }

    @Test
    void signalToAGoneProcessReturnsFalse() throws Exception {
        int pid = launcher.spawn(request(new Stdio.Null(), List.of(), "true"));
        exits.awaitExit(pid, WAIT);
        assertFalse(launcher.signal(pid, Signals.TERM));
        assertFalse(launcher.signalGroup(pid, Signals.TERM));
    }

    @Test
    void missingCommandFailsAtOnceWithEnoent() {
        long start = System.nanoTime();
        PosixException e = assertThrows(PosixException.class,
                () -> launcher.spawn(request(new Stdio.Null(), List.of(), "no-such-command-upshot")));
        assertEquals(LibC.ENOENT, e.errno());
        assertEquals("posix_spawn", e.call());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 1000);
        PosixException absolute = assertThrows(PosixException.class,
                () -> launcher.spawn(request(new Stdio.Null(), List.of(), "/no/such/command")));
        assertEquals(LibC.ENOENT, absolute.errno());
    }

    @Test
    void signalGroupReachesAGrandchild() throws Exception {
        int pid = launcher.spawn(request(new Stdio.Null(), List.of(), "sh", "-c", "sleep 30 & wait"));
        Await.until("the grandchild sleep", WAIT, () -> grandchildOf(pid) > 0);
        int grandchild = grandchildOf(pid);
        assertEquals(String.valueOf(pid), ProcFs.statField(grandchild, 5), "grandchild's pgrp");
        assertTrue(launcher.signalGroup(pid, Signals.TERM));
        exits.awaitExit(pid, WAIT);
        Await.until("grandchild " + grandchild + " dead", WAIT, () -> deadOrZombie(grandchild));
    }

    static int grandchildOf(int pid) {
        try (var stream = Files.list(Path.of("/proc"))) {
            return stream.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> NativeHost.parentOf(p) == pid)
                    .mapToInt(p -> Integer.parseInt(p.getFileName().toString())).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    static boolean deadOrZombie(int pid) {
        try {
            return ProcFs.statField(pid, 3).equals("Z");
        } catch (RuntimeException gone) {
            return true;
        }
    }
}
