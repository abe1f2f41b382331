package org.upshot.engine.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.upshot.engine.internal.job.EngineHarness.alive;
import static org.upshot.engine.internal.job.EngineHarness.await;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.upshot.engine.internal.api.ControlException;
import org.upshot.engine.internal.event.EventQueue;
import org.upshot.event.Event;
import org.upshot.event.EventResult;
import org.upshot.job.InstanceView;
import org.upshot.job.JobGoal;
import org.upshot.job.JobState;
import org.upshot.job.ProcessKind;

/** One test per lifecycle guarantee of SPEC §3, on real processes. */
@Timeout(60)
class LifecycleIT {

    /** A job whose every process appends its name to the "steps" file. */
    private static void steppedJob(EngineHarness h, String name, String... extra) throws Exception {
        String steps = h.file("steps").toString();
        List<String> lines = new ArrayList<>(List.of(
                "pre-start exec sh -c 'echo pre-start >> " + steps + "'",
                "exec sh -c 'echo main >> " + steps + "; exec sleep 1000'",
                "post-stop exec sh -c 'echo post-stop >> " + steps + "'"));
        lines.addAll(List.of(extra));
        h.job(name, lines.toArray(String[]::new));
    }

    @Test
    void postStopRunsOnceForEveryStart() throws Exception {
        // Three starts and stops: three post-stops, even when the main process crashed.
        try (EngineHarness h = new EngineHarness()) {
            steppedJob(h, "svc");
            h.load();
            for (int i = 0; i < 2; i++) {
                h.start("svc");
                h.stop("svc");
            }
            int pid = h.start("svc").processes().get(ProcessKind.MAIN);
            EngineHarness.LAUNCHER_FOR_TESTS.signal(pid, 9);
            await("stopped after the crash", () -> h.stopped("svc"));
            assertEquals(3, h.lines("steps").stream().filter("post-stop"::equals).count());
        }
    }

    @Test
    void mainNeverRunsWhenPreStartFails() throws Exception {
        // pre-start exits 1: no main, post-stop still runs, stopping says PROCESS=pre-start.
        try (EngineHarness h = new EngineHarness()) {
            String steps = h.file("steps").toString();
            h.job("svc", "pre-start exec sh -c 'echo pre-start >> " + steps + "; exit 1'",
                    "exec sh -c 'echo main >> " + steps + "; exec sleep 1000'",
                    "post-stop exec sh -c 'echo post-stop >> " + steps + "'").load();
            ControlException e = assertThrows(ControlException.class, () -> h.start("svc"));
            assertEquals("Job failed to start", e.getMessage());
            assertEquals(List.of("pre-start", "post-stop"), h.lines("steps"));
            assertEquals("stopping JOB=svc INSTANCE= RESULT=failed PROCESS=pre-start EXIT_STATUS=1",
                    h.lastEvent("stopping", "svc").orElseThrow().toString());
        }
    }

    @Test
    void stopDuringPreStartSkipsMainButRunsPostStop() throws Exception {
        // A stop while pre-start runs lets pre-start finish, skips main, runs post-stop.
        try (EngineHarness h = new EngineHarness()) {
            String steps = h.file("steps").toString();
            h.job("svc", "pre-start exec sh -c 'echo pre-start >> " + steps + "; sleep 0.3'",
                    "exec sh -c 'echo main >> " + steps + "; exec sleep 1000'",
                    "post-stop exec sh -c 'echo post-stop >> " + steps + "'").load();
            h.control.start("svc", List.of(), false);
            await("pre-start running", () -> h.lines("steps").contains("pre-start"));
            InstanceView during = h.instance("svc").orElseThrow();
            assertEquals(JobState.PRE_START, during.state());
            h.stop("svc");
            assertEquals(List.of("pre-start", "post-stop"), h.lines("steps"));
            assertTrue(h.stopped("svc"));
        }
    }

    @Test
    void restartKillsMainRunsPostStopPreStartAndMainAgain() throws Exception {
        // restart = kill main, post-stop, pre-start, main; the old main is gone.
        try (EngineHarness h = new EngineHarness()) {
            steppedJob(h, "svc");
            h.load();
            int first = h.start("svc").processes().get(ProcessKind.MAIN);
            await("first main wrote", () -> h.lines("steps").size() == 2);
            InstanceView restarted = EngineHarness.get(h.control.restart("svc", List.of(), true));
            int second = restarted.processes().get(ProcessKind.MAIN);
            assertNotEquals(first, second);
            assertFalse(alive(first));
            assertEquals(JobState.RUNNING, restarted.state());
            await("second main wrote " + h.lines("steps"), () -> h.lines("steps").size() == 5);
            assertEquals(List.of("pre-start", "main", "post-stop", "pre-start", "main"), h.lines("steps"));
        }
    }

    @Test
    void preStopRunsOnlyForARequestedStopWithTheStopEnvironment() throws Exception {
        // pre-stop sees the stop request's variables; a main that ends by itself skips it.
        try (EngineHarness h = new EngineHarness()) {
            String steps = h.file("steps").toString();
            h.job("svc", "exec sleep 1000", "pre-stop exec sh -c 'echo \"pre-stop $REASON\" >> " + steps + "'").load();
            h.start("svc");
            h.stop("svc", "REASON=maintenance");
            assertEquals(List.of("pre-stop maintenance"), h.lines("steps"));

            int pid = h.start("svc").processes().get(ProcessKind.MAIN);
            EngineHarness.LAUNCHER_FOR_TESTS.signal(pid, 15);
            await("stopped by itself", () -> h.stopped("svc"));
            assertEquals(List.of("pre-stop maintenance"), h.lines("steps"));
        }
    }

    @Test
    void aStartDuringPreStopCancelsTheStop() throws Exception {
        // pre-stop may cancel: a start while it runs returns the job to running, same main.
        try (EngineHarness h = new EngineHarness()) {
            String marker = h.file("pre-stop").toString();
            h.job("svc", "exec sleep 1000", "pre-stop exec sh -c 'touch " + marker + "; sleep 0.3'").load();
            int pid = h.start("svc").processes().get(ProcessKind.MAIN);
            h.control.stop("svc", List.of(), false);
            await("pre-stop running", () -> Files.exists(h.file("pre-stop")));
            h.control.start("svc", List.of(), false);
            await("back to running", () -> h.instance("svc").map(i -> i.state() == JobState.RUNNING
                    && i.goal() == JobGoal.START && !i.processes().containsKey(ProcessKind.PRE_STOP)).orElse(false));
            assertEquals(pid, h.mainPid("svc"));
            assertTrue(alive(pid));
            assertFalse(h.jobEvents().contains("stopping svc"));
        }
    }

    @Test
    void killTimeoutEscalatesToSigkillOnAProcessIgnoringTerm() throws Exception {
        // kill timeout 1: TERM is ignored, so the job stays killed, then SIGKILL ends it.
        try (EngineHarness h = new EngineHarness()) {
            String ready = h.file("ready").toString();
            h.job("stubborn", "kill timeout 1",
                    "exec sh -c 'trap \"\" TERM; touch " + ready + "; while :; do sleep 0.05; done'").load();
            int pid = h.start("stubborn").processes().get(ProcessKind.MAIN);
            await("trap installed", () -> Files.exists(h.file("ready")));
            long before = System.nanoTime();
            h.control.stop("stubborn", List.of(), false);
            await("killed state", () -> h.instance("stubborn").map(i -> i.state() == JobState.KILLED).orElse(false));
            assertTrue(alive(pid), "TERM alone did not end it");
            await("gone", () -> h.stopped("stubborn"));
            long tookMillis = (System.nanoTime() - before) / 1_000_000;
            assertTrue(tookMillis >= 900, "waited for the kill timeout, took " + tookMillis + " ms");
            assertFalse(alive(pid));
            assertEquals("ok", h.lastEvent("stopped", "stubborn").orElseThrow().get("RESULT").orElseThrow());
        }
    }

    @Test
    void killSignalGoesToTheWholeProcessGroup() throws Exception {
        // kill signal USR1 reaches main and its children (same process group); not INT,
        // which sh makes background children ignore.
        try (EngineHarness h = new EngineHarness()) {
            String child = h.file("child").toString();
            h.job("group", "kill signal USR1", "exec sh -c 'sleep 1000 & echo $! > " + child + "; wait'").load();
            h.start("group");
            await("child started", () -> !h.lines("child").isEmpty());
            int childPid = Integer.parseInt(h.lines("child").get(0).strip());
            assertTrue(alive(childPid));
            h.stop("group");
            await("child gone", () -> !alive(childPid));
        }
    }

    @Test
    void postStartRunsWhileMainRunsAndStartedComesAfterIt() throws Exception {
        // post-start runs with main alive; started is only emitted when post-start has ended.
        try (EngineHarness h = new EngineHarness()) {
            String pidFile = h.file("main-pid").toString();
            String marker = h.file("post-start").toString();
            h.job("svc", "exec sh -c 'echo $$ > " + pidFile + "; exec sleep 1000'",
                    "post-start exec sh -c 'sleep 0.2; kill -0 $(cat " + pidFile + ") && echo main-alive > " + marker + "'")
                    .load();
            // Written on the engine thread, read here.
            List<Boolean> postStartDoneAtStarted = new CopyOnWriteArrayList<>();
            h.engine.request(() -> h.engine.subscribe(e -> {
                if (e.name().equals("started")) {
                    postStartDoneAtStarted.add(Files.exists(h.file("post-start")));
                }
            }));
            h.start("svc");
            assertEquals(List.of("main-alive"), h.lines("post-start"));
            await("started handled", () -> !postStartDoneAtStarted.isEmpty());
            assertEquals(List.of(true), postStartDoneAtStarted);
        }
    }

    @Test
    void aTaskIsCompleteOnlyWhenFinished() throws Exception {
        // start of a task returns once it has finished, not when it spawned.
        try (EngineHarness h = new EngineHarness()) {
            h.job("task", "task", "exec sh -c 'sleep 0.3; echo done > " + h.file("done") + "'").load();
            h.start("task");
            assertEquals(List.of("done"), h.lines("done"));
            assertTrue(h.stopped("task"));
        }
    }

    @Test
    void spawnFailureFailsTheJobWithProcessMainAndNoExitVariables() throws Exception {
        // exec of a missing program: failed, PROCESS=main, no EXIT_STATUS/EXIT_SIGNAL.
        try (EngineHarness h = new EngineHarness()) {
            h.job("broken", "exec /nonexistent/daemon --flag").load();
            ControlException e = assertThrows(ControlException.class, () -> h.start("broken"));
            assertEquals("Job failed to start", e.getMessage());
            Event stopped = EngineHarness.awaitValue("stopped", () -> h.lastEvent("stopped", "broken"));
            assertEquals("stopped JOB=broken INSTANCE= RESULT=failed PROCESS=main", stopped.toString());
        }
    }

    @Test
    void aFailedJobFailsTheEventThatStartedIt() throws Exception {
        // the event fails and NAME/failed follows with the same environment.
        try (EngineHarness h = new EngineHarness()) {
            h.job("fails", "start on go", "task", "exec sh -c 'exit 4'").load();
            assertEquals(EventResult.FAILED, h.emit("go", "WHO=me"));
            await("go/failed", () -> h.events.contains(Event.of("go/failed", "WHO=me")));
            Event stopped = EngineHarness.awaitValue("stopped", () -> h.lastEvent("stopped", "fails"));
            assertEquals("EXIT_STATUS=4", stopped.env().get(4));
        }
    }

    @Test
    void anEventCompletesOnlyWhenTheServiceItStartedRuns() throws Exception {
        // emit waits for the job: when it returns, the service is running.
        try (EngineHarness h = new EngineHarness()) {
            h.job("slow", "start on go", "pre-start exec sleep 0.3", "exec sleep 1000").load();
            assertEquals(EventResult.OK, h.emit("go"));
            assertTrue(h.running("slow"));
        }
    }

    @Test
    void aStuckJobBlocksNeitherOtherJobsNorTheQueue() throws Exception {
        // a pre-start that never ends holds its own event only.
        try (EngineHarness h = new EngineHarness()) {
            h.job("stuck", "start on go", "pre-start exec sleep 1000", "exec sleep 1000");
            h.job("fine", "start on other", "exec sleep 1000").load();
            h.emitNoWait("go");
            assertEquals(EventResult.OK, h.emit("other"));
            assertTrue(h.running("fine"));
            InstanceView stuck = h.instance("stuck").orElseThrow();
            assertEquals(JobState.PRE_START, stuck.state());
            // end the stuck pre-start so the test can stop everything; its pid comes back
            // from the spawn pool after the state changed, so it may not be known yet
            int preStart = EngineHarness.awaitValue("stuck's pre-start spawned", () -> h.instance("stuck")
                    .map(instance -> instance.processes().get(ProcessKind.PRE_START)));
            EngineHarness.LAUNCHER_FOR_TESTS.signal(preStart, 9);
            await("stuck job gave up", () -> h.stopped("stuck"));
        }
    }

    @Test
    void exportedVariablesTravelInJobEvents() throws Exception {
        // export IFACE: the job's events carry IFACE after JOB and INSTANCE.
        try (EngineHarness h = new EngineHarness()) {
            h.job("net", "start on interface-up", "instance $IFACE", "export IFACE", "exec sleep 1000");
            h.job("follower", "start on started net", "stop on stopping net", "instance $IFACE",
                    "exec sleep 1000").load();
            h.emit("interface-up", "IFACE=eth7");
            await("follower up", () -> h.instance("follower", "eth7").isPresent());
            assertEquals("started JOB=net INSTANCE=eth7 IFACE=eth7", h.lastEvent("started", "net").orElseThrow().toString());
        }
    }

    @Test
    void goalStateAndEventChangesAreLoggedAtDebugLevel() throws Exception {
        // "JOB (#INSTANCE) goal changed from X to Y", "state changed from X to Y", and
        // each event's "Pending/Handling/Finished NAME ENV event", as Upstart's --debug.
        Logger logger = Logger.getLogger(Job.class.getName());
        Logger eventLogger = Logger.getLogger(EventQueue.class.getName());
        List<String> messages = java.util.Collections.synchronizedList(new ArrayList<>());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                messages.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level old = logger.getLevel();
        Level oldEvents = eventLogger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
        eventLogger.setLevel(Level.ALL);
        eventLogger.addHandler(handler);
        try (EngineHarness h = new EngineHarness()) {
            h.job("tty", "instance $TTY", "exec sleep 1000").load();
            h.start("tty", "TTY=tty9");
            assertTrue(messages.contains("tty (tty9) goal changed from stop to start"), messages.toString());
            assertTrue(messages.contains("tty (tty9) state changed from waiting to starting"), messages.toString());
            assertTrue(messages.contains("tty (tty9) state changed from post-start to running"), messages.toString());
            assertTrue(messages.contains("Handling starting JOB=tty INSTANCE=tty9 event"), messages.toString());
            assertTrue(messages.contains("Finished starting event"), messages.toString());
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(old);
            eventLogger.removeHandler(handler);
            eventLogger.setLevel(oldEvents);
        }
    }
}
