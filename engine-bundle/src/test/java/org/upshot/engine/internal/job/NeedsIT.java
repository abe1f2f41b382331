package org.upshot.engine.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.upshot.engine.internal.job.EngineHarness.await;
import static org.upshot.engine.internal.job.EngineHarness.awaitValue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.upshot.engine.internal.api.ControlException;

/**
 * {@code needs B} on the real engine (issue 15): starting a job starts what it needs
 * first, from its {@code starting} event; stopping a needed job stops its dependents
 * first, from {@code stopping}; a need that fails fails the start with
 * {@code PROCESS=needs}.
 */
@Timeout(60)
class NeedsIT {

    /**
     * The job events of {@code jobs} only, in the order the engine handled them, once
     * {@code last} has been handled: a request completes when its job comes to rest,
     * before the engine has handled the event it emitted on the way.
     */
    private static List<String> eventsOf(EngineHarness h, List<String> jobs, String last) {
        await(last + " handled", () -> h.jobEvents().contains(last));
        return h.jobEvents().stream()
                .filter(e -> e.contains(" ") && jobs.contains(e.substring(e.indexOf(' ') + 1)))
                .toList();
    }

    /**
     * The last {@code stopped JOB} event: a request completes when the job rests, which
     * is before the engine has handled the {@code stopped} event it queued on the way.
     */
    private static String stoppedEvent(EngineHarness h, String job) {
        return awaitValue("stopped " + job + " handled", () -> h.lastEvent("stopped", job)).toString();
    }

    @Test
    void startingAJobStartsWhatItNeedsFirstAndRunsOnceThatRuns() throws Exception {
        try (EngineHarness h = new EngineHarness()) {
            h.job("b", "console none", "exec sleep 1000")
                    .job("a", "needs b", "console none", "exec sleep 1000").load();
            h.start("a");
            assertTrue(h.running("a") && h.running("b"));
            assertEquals(List.of("starting a", "starting b", "started b", "started a"),
                    eventsOf(h, List.of("a", "b"), "started a"));
            assertEquals(List.of("needs b"), h.control.notes("a"));
            assertEquals(List.of(), h.control.notes("b"));
        }
    }

    @Test
    void aNeededJobAlreadyRunningIsLeftAlone() throws Exception {
        try (EngineHarness h = new EngineHarness()) {
            h.job("b", "console none", "exec sleep 1000")
                    .job("a", "needs b", "console none", "exec sleep 1000").load();
            h.start("b");
            int pid = h.mainPid("b");
            h.start("a");
            assertEquals(pid, h.mainPid("b"), "b was not started again");
            assertEquals(List.of("starting b", "started b", "starting a", "started a"),
                    eventsOf(h, List.of("a", "b"), "started a"));
        }
    }

    @Test
    void needsAreTransitive() throws Exception {
        try (EngineHarness h = new EngineHarness()) {
            h.job("c", "console none", "exec sleep 1000")
                    .job("b", "needs c", "console none", "exec sleep 1000")
                    .job("a", "needs b", "console none", "exec sleep 1000").load();
            h.start("a");
            assertEquals(List.of("starting a", "starting b", "starting c", "started c", "started b", "started a"),
                    eventsOf(h, List.of("a", "b", "c"), "started a"));
        }
    }

    @Test
    void stoppingANeededJobStopsItsDependentFirst() throws Exception {
        try (EngineHarness h = new EngineHarness()) {
            h.job("b", "console none", "exec sleep 1000")
                    .job("a", "needs b", "console none", "exec sleep 1000").load();
            h.start("a");
            h.stop("b");
            assertTrue(h.stopped("a") && h.stopped("b"));
            List<String> events = eventsOf(h, List.of("a", "b"), "stopped b");
            assertEquals(List.of("stopping b", "stopping a", "stopped a", "stopped b"),
                    events.subList(4, events.size()));
            assertEquals("stopped JOB=a INSTANCE= RESULT=ok", stoppedEvent(h, "a"));
        }
    }

    @Test
    void aNeededJobThatFailsToStartFailsTheStartWithProcessNeeds() throws Exception {
        try (EngineHarness h = new EngineHarness()) {
            String steps = h.file("steps").toString();
            h.job("b", "pre-start exec false", "console none", "exec sleep 1000")
                    .job("a", "needs b", "console none",
                            "pre-start exec sh -c 'echo a pre-start >> " + steps + "'",
                            "exec sleep 1000").load();
            ControlException e = assertThrows(ControlException.class, () -> h.start("a"));
            assertEquals("Job failed to start", e.getMessage());
            assertTrue(h.stopped("a") && h.stopped("b"));
            assertEquals(List.of(), h.lines("steps"), "a ran nothing");
            assertEquals("stopped JOB=b INSTANCE= RESULT=failed PROCESS=pre-start EXIT_STATUS=1",
                    stoppedEvent(h, "b"));
            assertEquals("stopping JOB=a INSTANCE= RESULT=failed PROCESS=needs",
                    h.lastEvent("stopping", "a").orElseThrow().toString());
            assertEquals("stopped JOB=a INSTANCE= RESULT=failed PROCESS=needs",
                    stoppedEvent(h, "a"));
        }
    }

    @Test
    void aMainProcessThatCannotRunFailsTheDependentToo() throws Exception {
        try (EngineHarness h = new EngineHarness()) {
            h.job("b", "console none", "exec /nonexistent/b")
                    .job("a", "needs b", "console none", "exec sleep 1000").load();
            assertThrows(ControlException.class, () -> h.start("a"));
            assertEquals("stopped JOB=a INSTANCE= RESULT=failed PROCESS=needs",
                    stoppedEvent(h, "a"));
            // once b can run, a starts
            h.job("b", "console none", "exec sleep 1000").load();
            h.start("a");
            assertTrue(h.running("a") && h.running("b"));
        }
    }

    @Test
    void aNeededJobThatIsNotLoadedFailsTheStart() throws Exception {
        try (EngineHarness h = new EngineHarness()) {
            h.job("a", "needs nosuch", "console none", "exec sleep 1000").load();
            assertThrows(ControlException.class, () -> h.start("a"));
            assertEquals("stopped JOB=a INSTANCE= RESULT=failed PROCESS=needs",
                    stoppedEvent(h, "a"));
        }
    }

    @Test
    void aCycleIsRefusedAtLoadWithThePositionsAndTheOtherJobsRun() throws Exception {
        try (EngineHarness h = new EngineHarness()) {
            h.job("a", "console none", "needs b", "exec sleep 1000")
                    .job("b", "console none", "needs a", "exec sleep 1000")
                    .job("c", "console none", "exec sleep 1000");
            var config = h.loadWithDiagnostics();
            assertEquals(List.of(
                    h.confdir.resolve("a.conf") + ":2:1: 'needs b' makes a cycle: a -> b -> a",
                    h.confdir.resolve("b.conf") + ":2:1: 'needs a' makes a cycle: b -> a -> b"),
                    config.diagnostics().stream().map(d -> d.render()).toList());
            h.start("c");
            assertTrue(h.running("c"));
            ControlException unknown = assertThrows(ControlException.class, () -> h.start("a"));
            assertEquals(ControlException.Reason.UNKNOWN_JOB, unknown.reason());
        }
    }

    @Test
    void aDefinitionChangedWhileItRanShowsItsNeedsOnceTheRunIsOver() throws Exception {
        try (EngineHarness h = new EngineHarness()) {
            h.job("b", "console none", "exec sleep 1000").job("c", "console none", "exec sleep 1000")
                    .job("a", "needs b", "console none", "exec sleep 1000").load();
            h.start("a");
            h.job("a", "needs c", "console none", "exec sleep 1000").load();
            assertEquals(List.of("needs b"), h.control.notes("a"), "the run keeps the definition it began with");
            h.stop("a");
            await("a's new definition in its notes", () -> h.control.notes("a").equals(List.of("needs c")));
        }
    }

    @Test
    void stoppingTheDependentLeavesTheNeededJobRunning() throws Exception {
        try (EngineHarness h = new EngineHarness()) {
            h.job("b", "console none", "exec sleep 1000")
                    .job("a", "needs b", "console none", "exec sleep 1000").load();
            h.start("a");
            h.stop("a");
            await("a stopped", () -> h.stopped("a"));
            assertTrue(h.running("b"), "a need is started, not owned: b stays");
        }
    }
}
