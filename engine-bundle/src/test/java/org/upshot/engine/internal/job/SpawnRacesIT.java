package org.upshot.engine.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.upshot.engine.internal.job.EngineHarness.alive;
import static org.upshot.engine.internal.job.EngineHarness.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.upshot.job.InstanceView;
import org.upshot.job.JobGoal;
import org.upshot.job.JobState;
import org.upshot.process.ExitListener;
import org.upshot.process.PosixException;
import org.upshot.process.ProcessLauncher;
import org.upshot.process.SpawnRequest;

/**
 * Spawns run on the engine's pool, so a job's inputs can arrive while its spawn is under
 * way. These hold a real spawn at the racy point with a gate in the launcher and check
 * that nothing is lost: a stop waits for the pid and then ends the process; an exit the
 * reaper collected before the engine heard of the pid still reaches the job.
 */
@Timeout(60)
class SpawnRacesIT {

    /** The real launcher; spawns wait at a gate the test opens, on the pool's thread. */
    private static final class GatedLauncher implements ProcessLauncher {
        private final ProcessLauncher real = EngineHarness.LAUNCHER_FOR_TESTS;
        /** Hold each spawn after posix_spawn until its child has been reaped, instead of before it. */
        private final boolean holdUntilReaped;
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        volatile int pid;

        GatedLauncher(boolean holdUntilReaped) {
            this.holdUntilReaped = holdUntilReaped;
        }

        @Override
        public int spawn(SpawnRequest request) throws PosixException {
            if (!holdUntilReaped) {
                reached.countDown();
                awaitLatch(open);
                return pid = real.spawn(request);
            }
            pid = real.spawn(request);
            reached.countDown();
            Path proc = Path.of("/proc", Integer.toString(pid));
            await("process " + pid + " reaped before its spawn returns", () -> !Files.exists(proc));
            return pid;
        }

        @Override
        public boolean signal(int target, int signal) throws PosixException {
            return real.signal(target, signal);
        }

        @Override
        public boolean signalGroup(int pgid, int signal) throws PosixException {
            return real.signalGroup(pgid, signal);
        }

        @Override
        public void addExitListener(ExitListener listener) {
            real.addExitListener(listener);
        }

        @Override
        public void removeExitListener(ExitListener listener) {
            real.removeExitListener(listener);
        }

        private static void awaitLatch(CountDownLatch latch) {
            try {
                assertTrue(latch.await(EngineHarness.TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the gate opened");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aStopWhileTheMainSpawnIsUnderWayEndsTheProcessOnceItsPidIsKnown() throws Exception {
        // goal stop while spawned with no pid yet: the job waits for the pid, then kills it as usual.
        GatedLauncher launcher = new GatedLauncher(false);
        try (EngineHarness h = new EngineHarness(launcher)) {
            h.job("svc", "exec sleep 1000").load();
            h.control.start("svc", List.of(), false);
            GatedLauncher.awaitLatch(launcher.reached);
            h.control.stop("svc", List.of(), false);
            InstanceView held = EngineHarness.awaitValue("the stop handled while the spawn is held",
                    () -> h.instance("svc").filter(i -> i.goal() == JobGoal.STOP));
            assertEquals(JobState.SPAWNED, held.state());
            assertTrue(held.processes().isEmpty(), "no pid known yet: " + held.processes());
            launcher.open.countDown();
            await("svc stopped", () -> h.stopped("svc"));
            await("its process gone", () -> launcher.pid > 0 && !alive(launcher.pid));
            assertEquals("stopping JOB=svc INSTANCE= RESULT=ok", h.lastEvent("stopping", "svc").orElseThrow().toString());
        }
    }

    @Test
    void anExitReapedBeforeTheEngineHeardOfThePidStillReachesTheJob() throws Exception {
        // the main process exits 3 and is reaped before its spawn returns: the job still fails with it.
        GatedLauncher launcher = new GatedLauncher(true);
        try (EngineHarness h = new EngineHarness(launcher)) {
            h.job("svc", "exec sh -c 'exit 3'").load();
            h.control.start("svc", List.of(), false);
            await("svc stopped", () -> h.lastEvent("stopped", "svc").isPresent());
            assertFalse(Files.exists(Path.of("/proc", Integer.toString(launcher.pid))));
            assertEquals("stopped JOB=svc INSTANCE= RESULT=failed PROCESS=main EXIT_STATUS=3",
                    h.lastEvent("stopped", "svc").orElseThrow().toString());
        }
    }
}
