package org.upshot.engine.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.upshot.engine.internal.job.EngineHarness.alive;
import static org.upshot.engine.internal.job.EngineHarness.await;
import static org.upshot.engine.internal.job.EngineHarness.proc;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.upshot.job.JobState;
import org.upshot.job.ProcessKind;
import org.upshot.process.Cgroups;
import org.upshot.process.internal.CgroupTree;

/** expect stop / fork / daemon on real processes. */
@Timeout(60)
class ReadinessIT {

    /** A classic double fork: the parent exits, the first child forks the daemon and exits. */
    private static String doubleFork(EngineHarness h) {
        return "exec sh -c '( sh -c \"echo \\$\\$ >> " + h.file("daemon-pid")
                + "; exec sleep 1000\" & sleep 0.1; exit 0 ) & exit 0'";
    }

    private static int daemonPid(EngineHarness h) {
        await("daemon wrote its pid", () -> h.lines("daemon-pid").size() == 1);
        return Integer.parseInt(h.lines("daemon-pid").get(0).strip());
    }

    @Test
    void expectStopWaitsForSigstopThenContinuesTheProcess() throws Exception {
        // expect stop: spawned until the process stops itself; then SIGCONT and running.
        try (EngineHarness h = new EngineHarness()) {
            h.job("stopper", "expect stop", "console none",
                    "exec sh -c 'sleep 0.3; kill -STOP $$; exec sleep 1000'").load();
            h.control.start("stopper", List.of(), false);
            await("spawned", () -> h.instance("stopper").map(i -> i.state() == JobState.SPAWNED).orElse(false));
            assertFalse(h.jobEvents().contains("started stopper"));
            await("running", () -> h.running("stopper"));
            int pid = h.mainPid("stopper");
            await("continued", () -> !EngineHarness.status(pid, "State").startsWith("T"));
            await("started", () -> h.jobEvents().contains("started stopper"));
        }
    }

    @Test
    void aProcessNotReadyWithinItsStartTimeoutIsKilledAndTheStartFails() throws Exception {
        // start timeout: a spawned main process that never stops itself is killed after 1 s.
        try (EngineHarness h = new EngineHarness()) {
            h.job("late", "expect stop", "start timeout 1", "console none", "exec sleep 1000").load();
            long asked = System.nanoTime();
            h.control.start("late", List.of(), false);
            awaitSpawnedWithPid(h, "late");
            int pid = h.mainPid("late");
            await("stopped", () -> h.lastEvent("stopped", "late").isPresent());
            assertEquals(Optional.of("failed"), h.lastEvent("stopped", "late").orElseThrow().get("RESULT"));
            assertEquals(Optional.of("main"), h.lastEvent("stopped", "late").orElseThrow().get("PROCESS"));
            long tookMillis = (System.nanoTime() - asked) / 1_000_000;
            assertTrue(tookMillis >= 1000, "not before the timeout: " + tookMillis + " ms");
            await("the process is gone", () -> !alive(pid));
            assertFalse(h.jobEvents().contains("started late"), "never ready, never started");
        }
    }

    @Test
    void aProcessThatNeverBecomesReadyIsStoppedWhenAsked() throws Exception {
        // expect stop with no start timeout: a stop does not wait for a SIGSTOP that never comes.
        try (EngineHarness h = new EngineHarness()) {
            h.job("never", "expect stop", "console none", "exec sleep 1000").load();
            h.control.start("never", List.of(), false);
            awaitSpawnedWithPid(h, "never");
            int pid = h.mainPid("never");
            h.stop("never");
            assertFalse(alive(pid), "stop returned once the process was gone");
            await("stopped", () -> h.lastEvent("stopped", "never").isPresent());
            assertEquals(Optional.of("ok"), h.lastEvent("stopped", "never").orElseThrow().get("RESULT"));
        }
    }

    @Test
    void expectDaemonSupervisesTheRealPidInItsCgroupAndRespawnsIt() throws Exception {
        // expect daemon + respawn: main is the grandchild; when it dies, it is respawned.
        Optional<Cgroups> cgroups = availableCgroups();
        Assumptions.assumeTrue(cgroups.isPresent(), "no writable cgroup v2 here");
        try (EngineHarness h = new EngineHarness(cgroups)) {
            h.job("daemon", "expect daemon", "respawn", "console none", doubleFork(h)).load();
            h.start("daemon");
            int daemon = daemonPid(h);
            assertEquals(daemon, h.mainPid("daemon"));
            assertTrue(proc(daemon, "cmdline").startsWith("sleep"));
            EngineHarness.LAUNCHER_FOR_TESTS.signal(daemon, 9);
            await("respawned with a new daemon", () -> h.lines("daemon-pid").size() == 2 && h.running("daemon")
                    && h.mainPid("daemon") != daemon);
            int second = Integer.parseInt(h.lines("daemon-pid").get(1).strip());
            assertEquals(second, h.mainPid("daemon"));
            assertNotEquals(daemon, second);
            h.stop("daemon");
            assertFalse(alive(second));
        }
    }

    @Test
    void expectDaemonFallsBackToTheChildListWithoutCgroups() throws Exception {
        // session mode without a writable cgroup: the re-parented grandchild is found.
        try (EngineHarness h = new EngineHarness(Optional.empty())) {
            h.job("daemon", "expect daemon", "console none", doubleFork(h)).load();
            h.start("daemon");
            int daemon = daemonPid(h);
            assertEquals(daemon, h.mainPid("daemon"));
            h.stop("daemon");
            await("daemon killed", () -> !alive(daemon));
        }
    }

    @Test
    void expectForkFollowsTheFirstChild() throws Exception {
        // expect fork: the parent exits at once, its child is the service.
        Optional<Cgroups> cgroups = availableCgroups();
        Assumptions.assumeTrue(cgroups.isPresent(), "no writable cgroup v2 here");
        try (EngineHarness h = new EngineHarness(cgroups)) {
            h.job("forker", "expect fork", "console none",
                    "exec sh -c 'sh -c \"echo \\$\\$ > " + h.file("daemon-pid") + "; exec sleep 1000\" & exit 0'").load();
            h.start("forker");
            int child = daemonPid(h);
            assertEquals(child, h.mainPid("forker"));
            assertEquals(JobState.RUNNING, h.instance("forker").orElseThrow().state());
            h.stop("forker");
            await("child killed", () -> !alive(child));
        }
    }

    @Test
    void expectForkFindsADaemonThatAlreadyHasWorkersAndNoWorkerOutlivesIt() throws Exception {
        // nginx's way: the daemon forks its workers before its parent exits; it is still the
        // one, and its workers end with it, on a respawn as on a stop.
        Optional<Cgroups> cgroups = availableCgroups();
        Assumptions.assumeTrue(cgroups.isPresent(), "no writable cgroup v2 here");
        try (EngineHarness h = new EngineHarness(cgroups)) {
            h.job("master", "expect fork", "respawn", "console none", "exec sh -c 'sh -c \"echo \\$\\$ >> "
                    + h.file("daemon-pid") + "; sleep 1000 & sleep 1000 & exec sleep 1000\" & sleep 0.3; exit 0'")
                    .load();
            long asked = System.nanoTime();
            h.start("master");
            int daemon = daemonPid(h);
            assertEquals(daemon, h.mainPid("master"));
            assertTrue(System.nanoTime() - asked < 10_000_000_000L, "found, not given up on after 30 s");
            List<ProcessHandle> workers = ProcessHandle.of(daemon).orElseThrow().children().toList();
            assertEquals(2, workers.size(), "its two workers");

            EngineHarness.LAUNCHER_FOR_TESTS.signal(daemon, 9);
            await("respawned", () -> h.lines("daemon-pid").size() == 2 && h.running("master"));
            // ended (a zombie its reaper has yet to collect counts as ended: ProcessHandle would not say so)
            assertTrue(workers.stream().noneMatch(worker -> alive((int) worker.pid())),
                    "the old workers went with their master");
            int second = h.mainPid("master");
            List<ProcessHandle> newWorkers = ProcessHandle.of(second).orElseThrow().children().toList();
            h.stop("master");
            assertFalse(alive(second));
            assertTrue(newWorkers.stream().noneMatch(worker -> alive((int) worker.pid())), "stop ended the workers too");
        }
    }

    @Test
    void whileADaemonIsLookedForItsExitedLauncherIsNotShown() throws Exception {
        // expect daemon with a single fork: the tracker gives it 2 s to fork again, and all
        // that while status must not show the launcher that has already exited
        try (EngineHarness h = new EngineHarness(availableCgroups())) {
            h.job("single", "expect daemon", "console none",
                    "exec sh -c 'sh -c \"echo \\$\\$ > " + h.file("daemon-pid") + "; exec sleep 1000\" & exit 0'")
                    .load();
            h.control.start("single", List.of(), false);
            int daemon = daemonPid(h);
            await("the launcher gone and no longer shown", () -> h.instance("single")
                    .map(i -> i.state() == JobState.SPAWNED && !i.processes().containsKey(ProcessKind.MAIN))
                    .orElse(false) || h.running("single"));
            assertFalse(h.running("single"), "shown as spawned without a pid before the 2 s settle");
            await("running", () -> h.running("single"));
            assertEquals(daemon, h.mainPid("single"));
            h.stop("single");
            assertFalse(alive(daemon));
        }
    }

    /** Spawned, and the main pid back from the spawn pool. */
    private static void awaitSpawnedWithPid(EngineHarness h, String job) {
        await(job + " spawned with its pid", () -> h.instance(job)
                .map(i -> i.state() == JobState.SPAWNED && i.processes().containsKey(ProcessKind.MAIN)).orElse(false));
    }

    private static Optional<Cgroups> availableCgroups() {
        Cgroups tree = new CgroupTree("upshot@engine-tests");
        return tree.isAvailable() ? Optional.of(tree) : Optional.empty();
    }
}
