package org.upshot.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.upshot.process.internal.PosixProcessLauncherTest.ENV;
import static org.upshot.process.internal.PosixProcessLauncherTest.WAIT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.upshot.process.ProcessAttributes;
import org.upshot.process.Signals;
import org.upshot.process.SpawnRequest;
import org.upshot.process.Stdio;

/** Following a double-forking daemon through its job's cgroup. */
@Timeout(20)
class CgroupTreeTest extends LauncherTestBase {

    @Test
    void daemonThatDoubleForksIsFoundInItsCgroupUntilItExits() throws Exception {
        CgroupTree cgroups = new CgroupTree("upshot@kernel-tests");
        cgroups.unavailabilityCause().ifPresent(cause -> System.out.println("skipped: no cgroups: " + cause));
        Assumptions.assumeTrue(cgroups.isAvailable());
        Path cgroup = cgroups.create("test/daemon");
        assertTrue(cgroup.getFileName().toString().startsWith("job-test_daemon"), cgroup.toString());
        ProcessAttributes join = new ProcessAttributes(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(cgroup));
        int shell = launcher.spawn(new SpawnRequest(List.of("sh", "-c", "(sleep 33 &) ; exit 0"), ENV, Path.of("/"),
                new Stdio.Null(), List.of(), join, false));
        assertEquals(0, exits.awaitExit(shell, WAIT).exitCode());
        Await.until("only the daemon left in " + cgroup, WAIT, () -> cgroups.pids(cgroup).size() == 1);
        int daemon = cgroups.pids(cgroup).get(0);
        // the grandchild is forked by the shell and may not have exec'd sleep yet
        Await.until("process " + daemon + " to exec sleep", WAIT,
                () -> cmdline(daemon).equals("sleep\0" + "33\0"));
        assertTrue(cgroups.populated(cgroup));
        assertThrows(java.io.IOException.class, () -> cgroups.remove(cgroup), "busy while populated");

        launcher.signal(daemon, Signals.KILL);
        Await.until(cgroup + " empty", WAIT, () -> !cgroups.populated(cgroup));
        assertEquals(List.of(), cgroups.pids(cgroup));
        cgroups.remove(cgroup);
        assertFalse(Files.exists(cgroup));
        cgroups.remove(cgroup);
    }

    private static String cmdline(int pid) {
        try {
            return Files.readString(ProcFs.dir(pid).resolve("cmdline"));
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void noCgroup2MountMeansUnavailableWithTheCause() throws Exception {
        Path mountInfo = Files.writeString(tmp.resolve("mountinfo"),
                "25 30 0:23 / /sys/fs/cgroup/cpu rw,relatime shared:9 - cgroup cgroup rw,cpu\n");
        Path membership = Files.writeString(tmp.resolve("cgroup"), "0::/\n");
        CgroupTree cgroups = new CgroupTree(mountInfo, membership, "upshot@test");
        assertFalse(cgroups.isAvailable());
        assertTrue(cgroups.unavailabilityCause().orElseThrow().getMessage().contains("no cgroup2"));
        assertThrows(IllegalStateException.class, () -> cgroups.create("x"));
    }

    @Test
    void unwritableHierarchyMeansUnavailable() throws Exception {
        Path fakeMount = Files.createDirectory(tmp.resolve("cg"));
        Path mountInfo = Files.writeString(tmp.resolve("mountinfo"),
                "35 30 0:30 / " + fakeMount + " rw,relatime shared:10 - cgroup2 cgroup2 rw\n");
        Path membership = Files.writeString(tmp.resolve("cgroup"), "0::/\n");
        CgroupTree cgroups = new CgroupTree(mountInfo, membership, "upshot@test");
        assertFalse(cgroups.isAvailable(), "a plain directory has no cgroup.procs");
        assertTrue(cgroups.unavailabilityCause().orElseThrow().getMessage().contains("cgroup.procs"));
    }

    @Test
    void eachDaemonInstanceHasADirectoryNamedAfterItsRuntimeDirectory() {
        assertEquals("upshot@run-upshot", CgroupTree.directoryName(Path.of("/run/upshot")));
        assertEquals("upshot@tmp-upshot-1000", CgroupTree.directoryName(Path.of("/tmp/upshot-1000/")));
        assertEquals("upshot@home-a_b-run", CgroupTree.directoryName(Path.of("/home/a b/./run")));
        String deep = CgroupTree.directoryName(Path.of("/" + "x".repeat(300)));
        assertEquals(120, deep.length(), deep);
        assertNotEquals(deep, CgroupTree.directoryName(Path.of("/" + "x".repeat(301))), "long paths told apart");
    }
}
