package org.upshot.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.upshot.process.internal.PosixProcessLauncherTest.ENV;
import static org.upshot.process.internal.PosixProcessLauncherTest.SLEEP;
import static org.upshot.process.internal.PosixProcessLauncherTest.WAIT;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.upshot.process.PosixException;
import org.upshot.process.ProcessAttributes;
import org.upshot.process.ProcessExit;
import org.upshot.process.ResourceLimit;
import org.upshot.process.ResourceLimit.Resource;
import org.upshot.process.Signals;
import org.upshot.process.SpawnRequest;
import org.upshot.process.Stdio;
import org.upshot.testkit.IoClass;

/** Attributes applied by the set-up preamble, read back from the real process in /proc. */
@Timeout(20)
class ProcessAttributesTest extends LauncherTestBase {

    static ProcessAttributes attributes(OptionalInt umask, OptionalInt nice, OptionalInt oom,
            List<ResourceLimit> limits, Optional<Path> chroot, Optional<String> user, Optional<String> group,
            Optional<Path> cgroup) {
        return new ProcessAttributes(umask, nice, oom, limits, chroot, user, group, cgroup);
    }

    static ProcessAttributes none() {
        return ProcessAttributes.NONE;
    }

    static SpawnRequest sleepWith(ProcessAttributes attributes, List<String> env, Path cwd) {
        return new SpawnRequest(List.of("sleep", "30"), env, cwd, new Stdio.Null(), List.of(), attributes, false);
    }

    int sleeper(ProcessAttributes attributes) throws PosixException {
        int pid = launcher.spawn(sleepWith(attributes, ENV, Path.of("/")));
        ProcFs.awaitSleeping(pid, SLEEP);
        return pid;
    }

    static void kill(int pid) throws PosixException {
        launcher.signal(pid, Signals.KILL);
        exits.awaitExit(pid, WAIT);
    }

    @Test
    void allProcessAttributesReachTheProcessWhosePidSpawnReturned() throws Exception {
        ProcessAttributes all = new ProcessAttributes(OptionalInt.of(027), OptionalInt.of(7), OptionalInt.of(345),
                List.of(new ResourceLimit(Resource.NOFILE, 1000, 2000),
                        new ResourceLimit(Resource.CORE, ResourceLimit.UNLIMITED, ResourceLimit.UNLIMITED)),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true);
        int pid = sleeper(all);
        assertEquals("0027", ProcFs.status(pid, "Umask"));
        assertEquals("7", ProcFs.statField(pid, 19), "nice");
        assertEquals("idle", IoClass.of(pid));
        assertEquals("345", ProcFs.read(ProcFs.dir(pid).resolve("oom_score_adj")).strip());
        String limits = ProcFs.read(ProcFs.dir(pid).resolve("limits"));
        assertTrue(limits.matches("(?s).*Max open files\\s+1000\\s+2000\\s+files.*"), limits);
        assertTrue(limits.matches("(?s).*Max core file size\\s+unlimited\\s+unlimited\\s+bytes.*"), limits);
        assertEquals(String.valueOf(pid), ProcFs.statField(pid, 6), "still its own session");
        assertEquals(List.of(0, 1, 2), List.copyOf(ProcFs.fds(pid).keySet()), "report descriptor closed");
        kill(pid);
    }

    @Test
    void environmentStaysAsGivenThroughTheShellAndListenPidIsTheFinalPid() throws Exception {
        List<String> env = new ArrayList<>(ENV);
        env.add("LISTEN_FDS=1");
        env.add("LISTEN_PID=");
        int pid = launcher.spawn(sleepWith(none(), env, Path.of("/")));
        ProcFs.awaitSleeping(pid, SLEEP);
        List<String> expected = new ArrayList<>(ENV);
        expected.add("LISTEN_FDS=1");
        expected.add("LISTEN_PID=" + pid);
        assertEquals(new TreeSet<>(expected), new TreeSet<>(ProcFs.environ(pid)));
        kill(pid);
    }

    @Test
    void setuidSwitchesUserGroupAndSupplementaryGroups() throws Exception {
        Assumptions.assumeTrue(rootOrSkip("setuid needs root"));
        ProcessAttributes nobody = attributes(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                List.of(), Optional.empty(), Optional.of("nobody"), Optional.empty(), Optional.empty());
        int pid = sleeper(nobody);
        assertEquals("65534\t65534\t65534\t65534", ProcFs.status(pid, "Uid"));
        assertEquals("65534\t65534\t65534\t65534", ProcFs.status(pid, "Gid"));
        assertEquals("65534", ProcFs.status(pid, "Groups"));
        kill(pid);
    }

    @Test
    void setgidAloneChangesOnlyTheGroup() throws Exception {
        Assumptions.assumeTrue(rootOrSkip("setgid needs root"));
        ProcessAttributes daemonGroup = attributes(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                List.of(), Optional.empty(), Optional.empty(), Optional.of("daemon"), Optional.empty());
        int pid = sleeper(daemonGroup);
        assertEquals("0\t0\t0\t0", ProcFs.status(pid, "Uid"));
        assertEquals("1\t1\t1\t1", ProcFs.status(pid, "Gid"));
        kill(pid);
    }

    @Test
    void unknownUserFailsNamingSetuidAndTheUser() {
        ProcessAttributes ghost = attributes(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                List.of(), Optional.empty(), Optional.of("no-such-user-upshot"), Optional.empty(), Optional.empty());
        PosixException e = assertThrows(PosixException.class, () -> launcher.spawn(sleepWith(ghost, ENV, Path.of("/"))));
        assertEquals("setuid", e.call());
        assertTrue(e.getMessage().contains("no-such-user-upshot"), e.getMessage());
    }

    @Test
    void failingStepComesBackAsPosixExceptionWithTheToolsErrno() {
        Assumptions.assumeTrue(rootOrSkip("only root may raise a hard limit at all"));
        // Above fs.nr_open, which even root cannot exceed: prlimit fails with EPERM.
        ProcessAttributes tooMany = attributes(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                List.of(new ResourceLimit(Resource.NOFILE, 1024, 2_000_000_000L)), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
        PosixException e = assertThrows(PosixException.class,
                () -> launcher.spawn(sleepWith(tooMany, ENV, Path.of("/"))));
        assertEquals("limit", e.call());
        assertEquals(LibC.EPERM, e.errno(), e.getMessage());
    }

    @Test
    void badValuesFailBeforeSpawningNamingTheStep() {
        ProcessAttributes oom = attributes(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.of(5000),
                List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        PosixException e = assertThrows(PosixException.class, () -> launcher.spawn(sleepWith(oom, ENV, Path.of("/"))));
        assertEquals("oom_score_adj", e.call());
        assertEquals(LibC.EINVAL, e.errno());
    }

    @Test
    void missingCommandBehindThePreambleFailsWithEnoent() {
        SpawnRequest request = new SpawnRequest(List.of("no-such-command-upshot"), ENV, Path.of("/"),
                new Stdio.Null(), List.of(), attributes(OptionalInt.of(022), OptionalInt.empty(),
                        OptionalInt.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty()), false);
        PosixException e = assertThrows(PosixException.class, () -> launcher.spawn(request));
        assertEquals("exec", e.call());
        assertEquals(LibC.ENOENT, e.errno());
    }

    @Test
    void stopBeforeExecStopsTheChildUntilContinued() throws Exception {
        SpawnRequest request = new SpawnRequest(List.of("sleep", "30"), ENV, Path.of("/"), new Stdio.Null(),
                List.of(), none(), true);
        int pid = launcher.spawn(request);
        ProcessExit stop = exits.awaitStop(pid, WAIT);
        assertEquals(Signals.STOP, stop.stopSignal());
        assertTrue(ProcFs.runs(pid, "/usr/bin/dash"), "not yet exec'd");
        launcher.signal(pid, Signals.CONT);
        ProcFs.awaitSleeping(pid, SLEEP);
        kill(pid);
    }

    @Test
    void chrootWithWorkingDirectoryAndUser() throws Exception {
        Assumptions.assumeTrue(rootOrSkip("chroot needs root"));
        Path root = miniRoot();
        Files.createDirectories(root.resolve("srv/data"));
        ProcessAttributes jailed = attributes(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                List.of(), Optional.of(root), Optional.of("nobody"), Optional.empty(), Optional.empty());
        int pid = launcher.spawn(sleepWith(jailed, ENV, Path.of("/srv/data")));
        ProcFs.awaitSleeping(pid, root.resolve("bin/sleep").toString());
        assertEquals(root, Files.readSymbolicLink(ProcFs.dir(pid).resolve("root")));
        assertEquals(root.resolve("srv/data"), Files.readSymbolicLink(ProcFs.dir(pid).resolve("cwd")));
        assertEquals("65534\t65534\t65534\t65534", ProcFs.status(pid, "Uid"));
        kill(pid);
    }

    @Test
    void missingChrootFailsNamingChroot() {
        Assumptions.assumeTrue(rootOrSkip("chroot needs root"));
        ProcessAttributes jailed = attributes(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                List.of(), Optional.of(tmp.resolve("absent")), Optional.empty(), Optional.empty(), Optional.empty());
        PosixException e = assertThrows(PosixException.class,
                () -> launcher.spawn(sleepWith(jailed, ENV, Path.of("/"))));
        assertEquals("chroot", e.call());
        assertEquals(LibC.ENOENT, e.errno());
    }

    /** A root directory holding sleep, a shell and the libraries they load. */
    Path miniRoot() throws IOException {
        Path root = tmp.toRealPath().resolve("root");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of(SLEEP), root.resolve("bin/sleep"));
        Files.copy(Path.of("/usr/bin/dash"), root.resolve("bin/sh"));
        for (String library : List.of("/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2")) {
            Path copy = root.resolve(library.substring(1));
            Files.createDirectories(copy.getParent());
            Files.copy(Path.of(library), copy);
        }
        return root;
    }

    static boolean rootOrSkip(String reason) {
        boolean root = Native.libc().geteuid() == 0;
        if (!root) {
            System.out.println("skipped: " + reason + " and this test runs as uid " + Native.libc().geteuid());
        }
        return root;
    }
}
