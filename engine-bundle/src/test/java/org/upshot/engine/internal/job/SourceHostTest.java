package org.upshot.engine.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.daemon.DaemonSettings;
import org.upshot.event.EventResult;
import org.upshot.job.InstanceChange;
import org.upshot.job.InstanceRef;
import org.upshot.job.JobView;
import org.upshot.spi.source.EventSource;
import org.upshot.spi.source.SourceContext;

/**
 * What sources describe under jobs, through the host's guard: kept while the source is
 * bound, dropped when it is unbound or disabled, and not brought back by a late call; and
 * the pause of every source before a re-exec.
 * The test thread plays the engine thread. No processes: EngineHarness is left alone, as
 * loading it starts the JVM's reaper, which would take the exit statuses of other unit
 * tests' child processes.
 */
@Timeout(30)
class SourceHostTest {

    @TempDir
    Path dir;

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final SourceNotes notes = new SourceNotes();
    private SourceHost host;

    /**
     * A source that keeps its context, can be made to throw from {@code jobsChanged} or
     * {@code pause}, and whose pause returns only once {@link #pauseMayReturn} completes.
     */
    private static class DescribingSource implements EventSource {
        final CompletableFuture<SourceContext> context = new CompletableFuture<>();
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile CompletableFuture<Void> pauseMayReturn = CompletableFuture.completedFuture(null);
        volatile boolean failOnJobs;
        volatile boolean failOnPause;

        @Override
        public void start(SourceContext started) {
            calls.add("start");
            context.complete(started);
        }

        @Override
        public void jobsChanged(Collection<JobView> jobs) {
            calls.add("jobsChanged");
            if (failOnJobs) {
                throw new IllegalStateException("boom");
            }
        }

        @Override
        public void pause() {
            calls.add("pause");
            if (failOnPause) {
                throw new IllegalStateException("boom");
            }
            pauseMayReturn.join();
        }

        @Override
        public void resume() {
            calls.add("resume");
        }

        @Override
        public void stop() {
            calls.add("stop");
        }

        SourceContext context() {
            return context.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        }
    }

    /** A source that records the milestones it is told of. */
    private static class FollowingSource extends DescribingSource {
        @Override
        public void instanceChanged(InstanceChange change) {
            calls.add("instanceChanged " + change.instance().job() + " " + change.phase());
        }
    }

    private static JobView job(String name) {
        return new JobView(name, Path.of(name + ".conf"), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(), Map.of(), List.of());
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // polling interval, not synchronisation
        }
    }

    private DescribingSource bind(String name, List<JobView> jobs) {
        return bind(name, jobs, new DescribingSource());
    }

    private <S extends DescribingSource> S bind(String name, List<JobView> jobs, S source) {
        if (host == null) {
            DaemonSettings settings = DaemonSettings.builder(DaemonSettings.Mode.SESSION,
                    DaemonSettings.Facts.current(), dir).build();
            host = new SourceHost(bound -> (event, descriptors, priority) -> CompletableFuture.completedFuture(
                    EventResult.OK), pid -> Optional.empty(), instance -> OptionalInt.empty(), (instance, input) -> { },
                    settings, notes, SourceEventLimit.DEFAULT);
        }
        host.bind(source, new SourceHost.Identity(name, "org.example." + name), jobs);
        return source;
    }

    @AfterEach
    void stopAll() {
        if (host != null) {
            host.stopAll();
        }
    }

    @Test
    void milestonesReachTheSourcesThatFollowInstancesInTheEnginesOrder() {
        // a source keeping the SPI's no-op is not called for them: each call wakes its thread
        assertFalse(SourceHost.followsInstances(DescribingSource.class));
        assertTrue(SourceHost.followsInstances(FollowingSource.class));
        FollowingSource socket = bind("socket", List.of(job("web")), new FollowingSource());
        socket.context();
        host.instanceChanged(new InstanceChange(new InstanceRef("web", ""), InstanceChange.Phase.STARTING,
                Optional.empty()));
        host.jobsChanged(List.of(job("web")));
        host.instanceChanged(new InstanceChange(new InstanceRef("web", ""), InstanceChange.Phase.STARTED,
                Optional.empty()));
        await("told of started", () -> socket.calls.contains("instanceChanged web STARTED"));
        assertEquals(List.of("start", "jobsChanged", "instanceChanged web STARTING", "jobsChanged",
                "instanceChanged web STARTED"), socket.calls);
    }

    @Test
    void aBoundSourceDescribesTheJobsItWasToldAbout() {
        // web shows the lines; a job the source was not told about shows nothing.
        SourceContext context = bind("socket", List.of(job("web"))).context();
        context.describe("web", List.of("listening tcp 127.0.0.1:8080"));
        context.describe("nosuch", List.of("listening tcp 127.0.0.1:1"));
        assertEquals(List.of("listening tcp 127.0.0.1:8080"), notes.of("web"));
        assertEquals(List.of(), notes.of("nosuch"));
    }

    @Test
    void unbindingDropsTheSourcesLinesAndALateDescribeIsIgnored() {
        // the other source's lines stay; what the unbound one says afterwards does not show.
        DescribingSource socket = bind("socket", List.of(job("web")));
        DescribingSource files = bind("files", List.of(job("web")));
        socket.context().describe("web", List.of("listening tcp 127.0.0.1:8080"));
        files.context().describe("web", List.of("watching /srv/spool"));
        assertEquals(List.of("watching /srv/spool", "listening tcp 127.0.0.1:8080"), notes.of("web"));
        host.unbind(socket);
        assertEquals(List.of("watching /srv/spool"), notes.of("web"));
        socket.context().describe("web", List.of("listening tcp 127.0.0.1:8080"));
        assertEquals(List.of("watching /srv/spool"), notes.of("web"));
        await("stopped", () -> socket.calls.contains("stop"));
        socket.context().describe("web", List.of("listening tcp 127.0.0.1:8080"));
        assertEquals(List.of("watching /srv/spool"), notes.of("web"));
    }

    @Test
    void aDisabledSourceLosesItsLinesAndALateDescribeIsIgnored() {
        // jobsChanged throws: the source is disabled on its thread, and its lines go with it.
        DescribingSource source = bind("socket", List.of(job("web"), job("db")));
        SourceContext context = source.context();
        context.describe("web", List.of("listening tcp 127.0.0.1:8080"));
        source.failOnJobs = true;
        host.jobsChanged(List.of(job("web"), job("db")));
        await("disabled", () -> notes.of("web").isEmpty());
        context.describe("db", List.of("listening tcp 127.0.0.1:5432"));
        assertEquals(List.of(), notes.of("db"));
    }

    @Test
    void aJobLeavingTheConfigurationLosesItsLines() {
        // db is removed, then added again: it shows nothing until the source describes it anew.
        SourceContext context = bind("socket", List.of(job("web"), job("db"))).context();
        context.describe("db", List.of("listening tcp 127.0.0.1:5432"));
        host.jobsChanged(List.of(job("web")));
        assertEquals(List.of(), notes.of("db"));
        host.jobsChanged(List.of(job("web"), job("db")));
        assertEquals(List.of(), notes.of("db"));
        context.describe("db", List.of("listening tcp 127.0.0.1:5433"));
        assertEquals(List.of("listening tcp 127.0.0.1:5433"), notes.of("db"));
    }

    @Test
    void pauseAllCompletesOnceEveryPauseIsOverAndResumeAllReachesEachSource() {
        // socket's pause is held; files' throws (it is disabled); dbus's returns at once.
        DescribingSource socket = bind("socket", List.of(job("web")));
        DescribingSource files = bind("files", List.of(job("web")));
        DescribingSource dbus = bind("dbus", List.of(job("web")));
        socket.pauseMayReturn = new CompletableFuture<>();
        files.failOnPause = true;
        CompletableFuture<Void> paused = host.pauseAll();
        await("every source asked to pause", () -> socket.calls.contains("pause")
                && files.calls.contains("pause") && dbus.calls.contains("pause"));
        assertFalse(paused.isDone(), "done while socket's pause has not returned");
        socket.pauseMayReturn.complete(null);
        paused.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        host.resumeAll();
        await("resumed", () -> socket.calls.contains("resume") && dbus.calls.contains("resume"));
        assertEquals(List.of("start", "jobsChanged", "pause"), files.calls.subList(0, 3));
        assertFalse(files.calls.contains("resume"), "a source disabled in its pause is not resumed");
    }
}
