package org.upshot.engine.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.upshot.engine.internal.job.EngineHarness.alive;
import static org.upshot.engine.internal.job.EngineHarness.await;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.upshot.engine.internal.api.ControlException;
import org.upshot.job.InstanceView;
import org.upshot.job.JobGoal;
import org.upshot.job.JobState;
import org.upshot.job.ProcessKind;

@Timeout(60)
class EngineBasicsIT {

    @Test
    void startAndStopASimpleExecService() throws Exception {
        // A service started by request runs as a real process and is stopped with TERM.
        try (EngineHarness h = new EngineHarness()) {
            h.job("sleeper", "exec sleep 1000").load();
            InstanceView view = h.start("sleeper");
            assertEquals(JobGoal.START, view.goal());
            assertEquals(JobState.RUNNING, view.state());
            int pid = view.processes().get(ProcessKind.MAIN);
            assertTrue(alive(pid));
            // posix_spawn returns once the child began its exec, before /proc/PID/cmdline is filled in
            await("sleep's command line", () -> EngineHarness.proc(pid, "cmdline").startsWith("sleep\0" + "1000"));

            InstanceView stopped = h.stop("sleeper");
            assertEquals(JobState.WAITING, stopped.state());
            await("sleep to die", () -> !alive(pid));
            assertTrue(h.stopped("sleeper"));
            await("stopped event", () -> h.jobEvents().contains("stopped sleeper"));
            assertEquals(List.of("starting sleeper", "started sleeper", "stopping sleeper", "stopped sleeper"),
                    h.jobEvents());
            assertEquals("stopping JOB=sleeper INSTANCE= RESULT=ok", h.lastEvent("stopping", "sleeper").get().toString());
        }
    }

    @Test
    void secondStartOfASingletonAnswersAlreadyRunning() throws Exception {
        // Singletons by default: a second start is refused with Upstart's text.
        try (EngineHarness h = new EngineHarness()) {
            h.job("sobby", "exec sleep 1000").load();
            h.start("sobby");
            ControlException e = assertThrows(ControlException.class, () -> h.start("sobby"));
            assertEquals("Job is already running: sobby", e.getMessage());
            assertEquals(ControlException.Reason.ALREADY_RUNNING, e.reason());
        }
    }

    @Test
    void unknownJobAndUnknownInstanceAreReported() throws Exception {
        // Control errors carry Upstart's wording.
        try (EngineHarness h = new EngineHarness()) {
            h.job("idle", "exec sleep 1000").load();
            assertEquals("Unknown job: nosuch", assertThrows(ControlException.class, () -> h.start("nosuch")).getMessage());
            assertEquals("Unknown instance: idle", assertThrows(ControlException.class, () -> h.stop("idle")).getMessage());
            assertEquals("Env must be KEY=VALUE pairs",
                    assertThrows(ControlException.class, () -> h.start("idle", "oops")).getMessage());
            assertFalse(h.running("idle"));
        }
    }

    @Test
    void aRunningInstanceOfARemovedJobCanStillBeAskedAboutAndStopped() throws Exception {
        // The file goes (or its plugin does) while it runs: status and stop still find the
        // instance; no new one starts; once it has stopped the job is unknown.
        try (EngineHarness h = new EngineHarness()) {
            h.job("orphan", "exec sleep 1000").load();
            int pid = h.start("orphan").processes().get(ProcessKind.MAIN);
            java.nio.file.Files.delete(h.confdir.resolve("orphan.conf"));
            EngineHarness.get(h.control.reloadConfiguration());
            assertEquals(pid, h.mainPid("orphan"));
            assertEquals("Unknown job: orphan", assertThrows(ControlException.class,
                    () -> EngineHarness.get(h.control.start("orphan", List.of("X=1"), true))).getMessage());
            h.stop("orphan");
            assertFalse(alive(pid));
            assertEquals("Unknown job: orphan", assertThrows(ControlException.class, () -> h.status("orphan"))
                    .getMessage());
        }
    }
}
