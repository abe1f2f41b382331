package org.upshot.engine.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.upshot.engine.internal.event.QueuedEvent;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.parse.JobParser;
import org.upshot.engine.internal.parse.StanzaLookup;
import org.upshot.event.RunPriority;
import org.upshot.job.ProcessKind;
import org.upshot.process.ProcessExit;
import org.upshot.process.Signals;

/**
 * One {@link Job} on plain objects: every (state, goal) an instance can rest in, driven
 * there by a scripted path, then every input, each on a fresh job. The outcome (state,
 * goal, and what the job asked of the engine) is compared with the golden table
 * {@code src/test/resources/state/job-inputs.tsv}; run with
 * {@code -Dupshot.golden.write=true} to rewrite it after a deliberate change, and read the
 * diff. {@code security} never rests (nothing to load), so it has no row.
 */
class JobTest {

    private static final Path GOLDEN = Path.of("src/test/resources/state/job-inputs.tsv");
    private static final int EXIT_1 = 1 << 8;

    /** A service with every helper, respawning: what every state needs but spawned. */
    private static final String SERVICE = """
            respawn
            pre-start exec pre
            post-start exec post
            pre-stop exec prestop
            post-stop exec poststop
            exec main
            """;

    /** The same with expect stop, so that spawned waits (at most 5 s). */
    private static final String STOPPING_SERVICE = "expect stop\nstart timeout 5\n" + SERVICE;
    /** Still looked for when stopped: a forking daemon stays spawned until its tracker is done. */
    private static final String FORKING_SERVICE = "expect fork\nstart timeout 5\n" + SERVICE;

    private record Path0(String job, List<BiConsumer<Job, FakeJobContext>> steps) {}

    /** A step, then the pids of what it spawned told back, as the engine's spawn pool does next. */
    private static BiConsumer<Job, FakeJobContext> settled(BiConsumer<Job, FakeJobContext> step) {
        return step.andThen((job, context) -> context.finishSpawns());
    }

    private static BiConsumer<Job, FakeJobContext> start() {
        return settled((job, context) -> job.handle(
                new JobInput.Start(List.of("A=1"), List.of(), List.of(), RunPriority.NORMAL)));
    }

    private static BiConsumer<Job, FakeJobContext> stop() {
        return settled((job, context) -> job.handle(new JobInput.Stop(List.of("B=2"), List.of())));
    }

    private static BiConsumer<Job, FakeJobContext> finish() {
        return settled((job, context) -> context.finishEvents());
    }

    private static BiConsumer<Job, FakeJobContext> exit(ProcessKind kind, int status) {
        return settled((job, context) -> job.handle(new JobInput.ProcessExited(kind,
                new ProcessExit(job.pid(kind).orElse(-1), status))));
    }

    private static Path0 path(String job, List<BiConsumer<Job, FakeJobContext>> steps) {
        return new Path0(job, steps);
    }

    /** How to reach each rest (state, goal): the steps from a new instance. */
    private static Map<String, Path0> paths() {
        Map<String, Path0> paths = new LinkedHashMap<>();
        var upToPreStart = List.of(start(), finish());
        var upToPostStart = concat(upToPreStart, exit(ProcessKind.PRE_START, 0));
        var upToRunning = concat(upToPostStart, exit(ProcessKind.POST_START, 0));
        var upToPreStop = concat(upToRunning, stop());
        var upToStopping = concat(upToPreStop, exit(ProcessKind.PRE_STOP, 0));
        var upToKilled = concat(upToStopping, finish());
        var upToPostStop = concat(upToKilled, exit(ProcessKind.MAIN, Signals.TERM));
        paths.put("waiting/stop", path(SERVICE, List.of()));
        paths.put("starting/start", path(SERVICE, List.of(start())));
        paths.put("starting/stop", path(SERVICE, List.of(start(), stop())));
        paths.put("pre-start/start", path(SERVICE, upToPreStart));
        paths.put("pre-start/stop", path(SERVICE, concat(upToPreStart, stop())));
        paths.put("spawned/start", path(STOPPING_SERVICE, upToPostStart));
        paths.put("spawned/stop", path(FORKING_SERVICE, concat(upToPostStart, stop())));
        paths.put("post-start/start", path(SERVICE, upToPostStart));
        paths.put("post-start/stop", path(SERVICE, concat(upToPostStart, stop())));
        paths.put("post-start/respawn", path(SERVICE, concat(upToPostStart, exit(ProcessKind.MAIN, EXIT_1))));
        paths.put("running/start", path(SERVICE, upToRunning));
        paths.put("pre-stop/stop", path(SERVICE, upToPreStop));
        paths.put("pre-stop/start", path(SERVICE, concat(upToPreStop, start())));
        paths.put("pre-stop/respawn", path(SERVICE, concat(concat(upToPreStop, start()),
                exit(ProcessKind.MAIN, EXIT_1))));
        paths.put("stopping/stop", path(SERVICE, upToStopping));
        paths.put("stopping/start", path(SERVICE, concat(upToStopping, start())));
        paths.put("killed/stop", path(SERVICE, upToKilled));
        paths.put("killed/start", path(SERVICE, concat(upToKilled, start())));
        paths.put("post-stop/stop", path(SERVICE, upToPostStop));
        paths.put("post-stop/start", path(SERVICE, concat(upToPostStop, start())));
        return paths;
    }

    /** Every input a job takes, as it would arrive in the state reached. */
    private static Map<String, BiConsumer<Job, FakeJobContext>> inputs() {
        Map<String, BiConsumer<Job, FakeJobContext>> inputs = new LinkedHashMap<>();
        inputs.put("start", start());
        inputs.put("stop", stop());
        inputs.put("restart", (job, context) -> job.handle(new JobInput.Restart(List.of())));
        inputs.put("main exits 1", exit(ProcessKind.MAIN, EXIT_1));
        inputs.put("main exits 0", exit(ProcessKind.MAIN, 0));
        inputs.put("helper exits 0", (job, context) -> {
            for (ProcessKind kind : List.of(ProcessKind.PRE_START, ProcessKind.POST_START, ProcessKind.PRE_STOP,
                    ProcessKind.POST_STOP)) {
                if (job.pid(kind).isPresent()) {
                    exit(kind, 0).accept(job, context);
                    return;
                }
            }
        });
        inputs.put("helper exits 1", (job, context) -> {
            for (ProcessKind kind : List.of(ProcessKind.PRE_START, ProcessKind.POST_STOP)) {
                if (job.pid(kind).isPresent()) {
                    exit(kind, EXIT_1).accept(job, context);
                    return;
                }
            }
        });
        inputs.put("main stops itself", (job, context) -> job.handle(
                new JobInput.ProcessStopped(context.mainPid(), Signals.STOP)));
        inputs.put("launcher exits", (job, context) -> job.handle(new JobInput.LauncherExited(context.mainPid())));
        inputs.put("daemon found", (job, context) -> job.handle(new JobInput.DaemonFound(4242)));
        inputs.put("ready", (job, context) -> job.handle(
                new JobInput.Ready(context.mainPid(), context.mainPid(), null)));
        inputs.put("kill timeout", (job, context) -> job.handle(new JobInput.KillTimeout(context.killToken())));
        inputs.put("start timeout", (job, context) -> job.handle(new JobInput.StartTimeout(context.startToken())));
        inputs.put("job event finishes", finish());
        inputs.put("source aborts main", (job, context) -> job.handle(new JobInput.Abort(context.mainPid(), "watchdog")));
        inputs.put("extension then start timeout", (job, context) -> {
            job.handle(new JobInput.ExtendTimeout(context.mainPid(), Duration.ofMinutes(1)));
            job.handle(new JobInput.StartTimeout(context.startToken()));
        });
        return inputs;
    }

    private static List<BiConsumer<Job, FakeJobContext>> concat(List<BiConsumer<Job, FakeJobContext>> steps,
            BiConsumer<Job, FakeJobContext> step) {
        List<BiConsumer<Job, FakeJobContext>> all = new ArrayList<>(steps);
        all.add(step);
        return all;
    }

    private static JobClass jobClass(String text) {
        return new JobParser(StanzaLookup.NONE).parse("svc", Path.of("svc.conf"), text).job().orElseThrow();
    }

    private static String label(Job job) {
        return job.state().label() + "/" + job.goal().label();
    }

    /** One row: the state reached, the input, where the job went and what it asked for. */
    private static String row(String rest, Path0 path, String input, BiConsumer<Job, FakeJobContext> step) {
        FakeJobContext context = new FakeJobContext();
        Job job = new Job(jobClass(path.job()), "", List.of(), null, context::boundTo);
        path.steps().forEach(s -> s.accept(job, context));
        assertEquals(rest, label(job), "the path to " + rest);
        context.effects();
        settled(step).accept(job, context);
        return rest + "\t" + input + "\t" + label(job) + "\t" + String.join(" ", context.effects());
    }

    @Test
    void everyRestStateAndGoalTakesEveryInputAsTheGoldenTableSays() throws IOException {
        // 20 (state, goal) pairs × 16 inputs against src/test/resources/state/job-inputs.tsv.
        List<String> rows = new ArrayList<>();
        rows.add("# Job.handle, golden: state/goal reached, input, state/goal after, what the job asked for.");
        rows.add("# Written by JobTest with -Dupshot.golden.write=true; review the diff of every change.");
        paths().forEach((rest, path) -> inputs().forEach((input, step) -> rows.add(row(rest, path, input, step))));
        String actual = String.join("\n", rows) + "\n";
        if (Boolean.getBoolean("upshot.golden.write")) {
            Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(GOLDEN, StandardCharsets.UTF_8), actual);
    }

    @Test
    void aSecondStartWhileStartingChangesNothing() {
        // the goal is already start: no state skipped, no job event emitted twice.
        FakeJobContext context = new FakeJobContext();
        Job job = new Job(jobClass(SERVICE), "", List.of(), null, context::boundTo);
        start().accept(job, context);
        assertEquals("starting/start", label(job));
        context.effects();
        start().accept(job, context);
        assertEquals(List.of(), context.effects());
        assertEquals("starting/start", label(job));
    }

    @Test
    void aNeedThatFailsWhileStartingStopsTheRunWithProcessNeedsOnceStartingFinishes() {
        // no pre-start, no main; post-stop still runs, as after a failed pre-start;
        // stopping and stopped say RESULT=failed PROCESS=needs.
        FakeJobContext context = new FakeJobContext();
        Job job = new Job(jobClass(SERVICE), "", List.of(), null, context::boundTo);
        start().accept(job, context);
        job.handle(new JobInput.NeedFailed("db", context.lastEmitted("starting")));
        assertEquals("starting/stop", label(job), "the starting event still holds the job");
        context.effects();
        finish().accept(job, context);
        assertEquals("post-stop/stop", label(job));
        assertEquals(List.of("emit:stopping", "spawn:post-stop"), context.effects().stream()
                .filter(e -> e.startsWith("emit:") || e.startsWith("spawn:")).toList());
        assertEquals("stopping JOB=svc INSTANCE= RESULT=failed PROCESS=needs",
                context.lastEmitted("stopping").event().toString());
        exit(ProcessKind.POST_STOP, 0).accept(job, context);
        assertEquals("waiting/stop", label(job));
        assertEquals("stopped JOB=svc INSTANCE= RESULT=failed PROCESS=needs",
                context.lastEmitted("stopped").event().toString());
    }

    @Test
    void aNeedFailureFromAnEarlierRunIsIgnored() {
        // the job is past starting (its need was met then): a late failure changes nothing.
        FakeJobContext context = new FakeJobContext();
        Job job = new Job(jobClass(SERVICE), "", List.of(), null, context::boundTo);
        start().accept(job, context);
        QueuedEvent starting = context.lastEmitted("starting");
        finish().accept(job, context);
        assertEquals("pre-start/start", label(job));
        context.effects();
        job.handle(new JobInput.NeedFailed("db", starting));
        assertEquals("pre-start/start", label(job));
        assertEquals(List.of(), context.effects());
    }

    @Test
    void everyStateEnteredIsToldToTheContextForTheJournalInOrder() {
        // a start up to running, then a stop down to waiting: each state once, as advance() enters it.
        FakeJobContext context = new FakeJobContext();
        Job job = new Job(jobClass(SERVICE), "", List.of(), null, context::boundTo);
        start().accept(job, context);
        finish().accept(job, context);
        exit(ProcessKind.PRE_START, 0).accept(job, context);
        exit(ProcessKind.POST_START, 0).accept(job, context);
        assertEquals("running/start", label(job));
        assertEquals(List.of("starting", "security", "pre-start", "spawned", "post-start", "running"),
                context.statesEntered);
    }
    /** The job with its spawns left under way: start, and its starting event finished. */
    private static Job spawnedWithMainUnderWay(String text, FakeJobContext context) {
        Job job = new Job(jobClass(text), "", List.of(), null, context::boundTo);
        job.handle(new JobInput.Start(List.of(), List.of(), List.of(), RunPriority.NORMAL));
        context.finishEvents();
        assertEquals("spawned/start", label(job));
        assertEquals(List.of("emit:starting", "spawn:main"), context.effects().stream()
                .filter(e -> e.startsWith("emit:") || e.startsWith("spawn:")).toList());
        return job;
    }

    @Test
    void aStopWhileTheMainIsBeingSpawnedWaitsForItsPidThenStopsIt() {
        // nothing to kill before the pid is known; once it is, stopping, then the kill signal.
        FakeJobContext context = new FakeJobContext();
        Job job = spawnedWithMainUnderWay("exec main", context);
        job.handle(new JobInput.Stop(List.of(), List.of()));
        assertEquals("spawned/stop", label(job));
        assertEquals(List.of(), context.effects());
        context.finishSpawns();
        assertEquals("stopping/stop", label(job));
        finish().accept(job, context);
        assertEquals("killed/stop", label(job));
        assertEquals(List.of("kill:TERM", "kill-timer"), context.effects().stream()
                .filter(e -> e.startsWith("kill")).toList());
    }

    @Test
    void aStopWhileAnExpectStopMainIsBeingSpawnedDoesNotWaitForItToBeReady() {
        // as a stop just after the spawn: the process that may never stop itself is stopped as it is.
        FakeJobContext context = new FakeJobContext();
        Job job = spawnedWithMainUnderWay("expect stop\nexec main", context);
        job.handle(new JobInput.Stop(List.of(), List.of()));
        context.finishSpawns();
        assertEquals("stopping/stop", label(job));
    }

    @Test
    void aMainThatFailsToSpawnFailsTheRunAsMain() {
        // no pid ever: stopping says PROCESS=main, nothing is killed, post-stop still runs.
        FakeJobContext context = new FakeJobContext();
        Job job = spawnedWithMainUnderWay("post-stop exec poststop\nexec main", context);
        context.failSpawn();
        assertEquals("stopping/stop", label(job));
        assertEquals("stopping JOB=svc INSTANCE= RESULT=failed PROCESS=main",
                context.lastEmitted("stopping").event().toString());
        finish().accept(job, context);
        assertEquals("post-stop/stop", label(job));
    }

    @Test
    void theMainExitingWhilePostStartIsBeingSpawnedWaitsForPostStart() {
        // post-start is a live helper from the moment it is asked for: its end moves the job on.
        FakeJobContext context = new FakeJobContext();
        Job job = spawnedWithMainUnderWay("post-start exec post\nexec main", context);
        context.finishSpawn();
        assertEquals("post-start/start", label(job));
        job.handle(new JobInput.ProcessExited(ProcessKind.MAIN, new ProcessExit(context.mainPid(), EXIT_1)));
        assertEquals("post-start/stop", label(job), "waits for post-start");
        context.finishSpawns();
        exit(ProcessKind.POST_START, 0).accept(job, context);
        assertEquals("stopping/stop", label(job));
    }
}
