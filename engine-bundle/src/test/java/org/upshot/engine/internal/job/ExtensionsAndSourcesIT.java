package org.upshot.engine.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.upshot.engine.internal.job.EngineHarness.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.upshot.event.Event;
import org.upshot.event.EventDescriptor;
import org.upshot.event.EventExpression;
import org.upshot.job.InstanceChange;
import org.upshot.job.InstanceRef;
import org.upshot.job.JobState;
import org.upshot.job.JobView;
import org.upshot.spi.source.EventSource;
import org.upshot.spi.source.SourceContext;
import org.upshot.spi.stanza.InheritedDescriptor;
import org.upshot.spi.stanza.Readiness;
import org.upshot.spi.stanza.ReadinessTarget;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaExtension;

/**
 * The plugin SPI on a real engine and real processes: extension conditions, environment,
 * descriptors, readiness and instance templates; sources' context, lifecycle milestones,
 * descriptors carried by events, and the guard around sources that throw or hang.
 */
@Timeout(60)
class ExtensionsAndSourcesIT {

    private static final POSIX POSIX = POSIXFactory.getNativePOSIX();
    private static final int O_WRONLY_APPEND = 01 | 02000;
    private static final int O_RDWR = 02;

    private static EventExpression.Match match(String event) {
        return new EventExpression.Match(event, List.of());
    }

    /** A source that records what the engine tells it and keeps its context. */
    private static class RecordingSource implements EventSource {
        final AtomicReference<SourceContext> context = new AtomicReference<>();
        final List<List<String>> jobNames = new CopyOnWriteArrayList<>();
        final List<InstanceChange> changes = new CopyOnWriteArrayList<>();
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void start(SourceContext started) throws Exception {
            calls.add("start");
            context.set(started);
        }

        @Override
        public void jobsChanged(java.util.Collection<JobView> jobs) {
            calls.add("jobsChanged");
            jobNames.add(jobs.stream().map(JobView::name).toList());
        }

        @Override
        public void instanceChanged(InstanceChange change) {
            changes.add(change);
        }

        @Override
        public void stop() {
            calls.add("stop");
        }

        SourceContext context() {
            await("source started", () -> context.get() != null);
            return context.get();
        }

        List<String> phases(String job) {
            return changes.stream().filter(c -> c.instance().job().equals(job))
                    .map(c -> c.phase() + (c.failed() ? ":" + c.failure().orElseThrow().process() : "")).toList();
        }
    }

    /** A descriptor on an open file, counting its releases. */
    private static final class FileDescriptor implements EventDescriptor {
        final int fd;
        final String name;
        final boolean standardIo;
        final AtomicInteger releases = new AtomicInteger();

        FileDescriptor(Path file, int flags, String name, boolean standardIo) {
            this.fd = POSIX.open(file.toString(), flags, 0644);
            this.name = name;
            this.standardIo = standardIo;
            assertTrue(fd > 2, "open " + file);
        }

        @Override
        public int descriptor() {
            return fd;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean standardIo() {
            return standardIo;
        }

        @Override
        public void release() {
            releases.incrementAndGet();
            POSIX.close(fd);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void extensionDescriptorsReachMainAsFd3WithListenVariables() throws Exception {
        // descriptors → fd 3, LISTEN_FDS=1, LISTEN_FDNAMES, LISTEN_PID = the final pid,
        // UPSTART_FDS=3; the extension's start condition is or-ed in and its environment added.
        Path out = Files.createTempFile("upshot-fd", ".txt");
        int fd = POSIX.open(out.toString(), O_WRONLY_APPEND, 0644);
        InheritedDescriptor descriptor = new InheritedDescriptor() {
            @Override
            public int descriptor() {
                return fd;
            }

            @Override
            public String name() {
                return "web";
            }
        };
        StanzaExtension passfd = input -> StanzaContribution.builder("passfd").startOn(match("fd-wanted"))
                .environment("EXTRA", "yes").descriptor(descriptor).build();
        try (EngineHarness h = new EngineHarness(Optional.empty(), Map.of("passfd", passfd))) {
            h.job("fdjob", "start on never-emitted", "passfd", "console none", "exec sh -c 'echo \"$LISTEN_FDS "
                    + "$LISTEN_PID $$ $UPSTART_FDS $EXTRA $LISTEN_FDNAMES\" >&3; exec sleep 1000'").load();
            h.emit("fd-wanted");
            assertTrue(h.running("fdjob"));
            await("wrote to fd 3", () -> !read(out).isEmpty());
            String[] words = read(out).strip().split(" ");
            assertEquals("1", words[0]);
            assertEquals(words[2], words[1], "LISTEN_PID is the process's own pid");
            assertEquals(String.valueOf(h.mainPid("fdjob")), words[2]);
            assertEquals(List.of("3", "yes", "web"), List.of(words[3], words[4], words[5]));
        } finally {
            POSIX.close(fd);
            Files.deleteIfExists(out);
        }
    }

    @Test
    void descriptorsAnEventCarriesReachTheJobItStartsAndAreReleasedWhenItFinishes() throws Exception {
        // after the stanza's descriptor; named in LISTEN_FDNAMES; released once, after the spawn.
        Path out = Files.createTempFile("upshot-evfd", ".txt");
        FileDescriptor carried = new FileDescriptor(out, O_WRONLY_APPEND, "connection", false);
        try (EngineHarness h = new EngineHarness()) {
            h.job("evjob", "start on conn", "console none",
                    "exec sh -c 'echo \"$LISTEN_FDS $UPSTART_FDS $LISTEN_FDNAMES\" >&3; exec sleep 1000'").load();
            EngineHarness.get(h.engine.emit(Event.of("conn"), List.of(carried)));
            assertTrue(h.running("evjob"));
            assertEquals(1, carried.releases.get(), "released when the event finished");
            await("wrote to fd 3", () -> !read(out).isEmpty());
            assertEquals("1 3 connection", read(out).strip());
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Test
    void aStandardIoDescriptorIsStdinAndStdoutAsInetdPassesIt() throws Exception {
        // the "connection" (a file here) is read as stdin and written as stdout.
        Path connection = Files.createTempFile("upshot-inetd", ".txt");
        Files.writeString(connection, "hello\n");
        FileDescriptor carried = new FileDescriptor(connection, O_RDWR, "connection", true);
        try (EngineHarness h = new EngineHarness()) {
            h.job("inetd", "start on conn", "task", "console none", "exec sh -c 'read line; echo \"got $line\"'")
                    .load();
            EngineHarness.get(h.engine.emit(Event.of("conn"), List.of(carried)));
            assertEquals("hello\ngot hello\n", read(connection));
            assertEquals(1, carried.releases.get());
        } finally {
            Files.deleteIfExists(connection);
        }
    }

    @Test
    void anEventThatStartsNothingStillReleasesItsDescriptors() throws Exception {
        // no job waits for it: released when it finishes, as Upstart's event_finished closes fds.
        Path file = Files.createTempFile("upshot-unused", ".txt");
        FileDescriptor carried = new FileDescriptor(file, O_WRONLY_APPEND, "x", false);
        try (EngineHarness h = new EngineHarness()) {
            h.load();
            EngineHarness.get(h.engine.emit(Event.of("nobody-waits"), List.of(carried)));
            assertEquals(1, carried.releases.get());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void anInstanceTemplateGivesOneInstancePerOccurrence() throws Exception {
        // no instance stanza: the extension's template names the instances from each event.
        StanzaExtension perConnection = input -> StanzaContribution.builder("per-connection")
                .startOn(match("connection")).instance("$PEER").build();
        try (EngineHarness h = new EngineHarness(Optional.empty(), Map.of("per-connection", perConnection))) {
            h.job("served", "per-connection", "console none", "exec sleep 1000").load();
            h.emit("connection", "PEER=a");
            h.emit("connection", "PEER=b");
            assertEquals(List.of("a", "b"), h.status("served").instances().stream().map(i -> i.instance()).toList());
        }
    }

    @Test
    void extensionReadinessHoldsTheJobInSpawnedUntilReady() throws Exception {
        // readiness from an extension replaces expect: started only once it completes.
        AtomicReference<CompletableFuture<Integer>> ready = new AtomicReference<>();
        List<ReadinessTarget> askedFor = new CopyOnWriteArrayList<>();
        Readiness readiness = target -> {
            askedFor.add(target);
            CompletableFuture<Integer> stage = new CompletableFuture<>();
            ready.set(stage);
            return stage;
        };
        StanzaExtension notify = input -> StanzaContribution.builder("ready").readiness(readiness).build();
        try (EngineHarness h = new EngineHarness(Optional.empty(), Map.of("ready-when", notify))) {
            h.job("notifier", "ready-when", "console none", "exec sleep 1000").load();
            h.control.start("notifier", List.of(), false);
            await("asked", () -> ready.get() != null);
            assertEquals(JobState.SPAWNED, h.instance("notifier").orElseThrow().state());
            assertEquals(List.of(new ReadinessTarget(new InstanceRef("notifier", ""), h.mainPid("notifier"))),
                    askedFor);
            ready.get().complete(askedFor.get(0).pid());
            await("running", () -> h.running("notifier"));
            await("started", () -> h.jobEvents().contains("started notifier"));
        }
    }

    @Test
    void readinessMayMoveSupervisionToAnotherProcessOfTheJob() throws Exception {
        // MAINPID-style: the child the script forked becomes main. The script execs a
        // process that never reaps, so once that exits the child is ours to reap, and its
        // exit is the job's.
        AtomicReference<ReadinessTarget> target = new AtomicReference<>();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Readiness readiness = asked -> {
            target.set(asked);
            return ready;
        };
        StanzaExtension notify = input -> StanzaContribution.builder("ready").readiness(readiness).build();
        try (EngineHarness h = new EngineHarness(Optional.empty(), Map.of("ready-when", notify))) {
            h.job("mover", "ready-when", "console none",
                    "exec sh -c 'sleep 1000 & echo $! > " + h.file("child") + "; exec sleep 2'").load();
            h.control.start("mover", List.of(), false);
            await("asked", () -> target.get() != null && h.lines("child").size() == 1);
            int child = Integer.parseInt(h.lines("child").get(0).strip());
            assertEquals(Optional.of(new InstanceRef("mover", "")), h.engine.ownerOf(child),
                    "a descendant of main belongs to the instance");
            ready.complete(child);
            await("running with the child as main", () -> h.running("mover") && h.mainPid("mover") == child);
            EngineHarness.LAUNCHER_FOR_TESTS.signal(child, 9);
            await("stopped when the new main died", () -> h.stopped("mover"));
        }
    }

    @Test
    void aSourceGetsItsContextSeesTheJobsAndFollowsInstances() throws Exception {
        // start with a context, the job list, then starting/started/stopping/stopped with the failure.
        RecordingSource source = new RecordingSource();
        try (EngineHarness h = new EngineHarness()) {
            h.job("triggered", "start on test-event", "console none", "exec sh -c 'sleep 0.2; exit 3'").load();
            h.engine.bindSource(source, "test", "org.example.test");
            SourceContext context = source.context();
            await("jobs told", () -> !source.jobNames.isEmpty());
            assertEquals(List.of("triggered"), source.jobNames.get(0));
            EngineHarness.get(context.emitter().emit(Event.of("test-event")));
            int main = h.mainPid("triggered");
            assertEquals(Optional.of(new InstanceRef("triggered", "")), context.ownerOf(main));
            assertEquals(Optional.empty(), context.ownerOf((int) ProcessHandle.current().pid()));
            await("stopped", () -> source.phases("triggered").size() == 4);
            assertEquals(List.of("STARTING", "STARTED", "STOPPING:main", "STOPPED:main"), source.phases("triggered"));
            assertEquals(3, source.changes.get(3).failure().orElseThrow().exitStatus().orElseThrow());
            assertEquals(Optional.empty(), context.ownerOf(main), "an exited process belongs to nobody");
        }
    }

    @Test
    void aThrowingSourceIsIsolatedAndTheEngineGoesOn() throws Exception {
        // a source whose start throws is disabled: never called again, its events dropped.
        RecordingSource broken = new RecordingSource() {
            @Override
            public void start(SourceContext started) throws Exception {
                super.start(started);
                throw new IllegalStateException("boom");
            }
        };
        try (EngineHarness h = new EngineHarness()) {
            h.job("ok", "start on from-broken", "exec sleep 1000").load();
            h.engine.bindSource(broken, "broken", "org.example.broken");
            SourceContext context = broken.context();
            // disabled on the source's thread just after start threw
            await("its events refused", () -> context.emitter().emit(Event.of("from-broken"))
                    .toCompletableFuture().isCompletedExceptionally());
            assertTrue(h.stopped("ok"), "the dropped event started nothing");
            h.start("ok");
            h.engine.unbindSource(broken);
            h.engine.ask(() -> null).toCompletableFuture().get();
            assertEquals(List.of("start"), broken.calls, "disabled: no jobsChanged, no stop");
        }
    }

    @Test
    void aSourceThatHangsIsDisabledAndNeitherTheEngineNorOtherSourcesWait() throws Exception {
        // start never returns: after the call timeout the source is disabled; jobs and a
        // second source carry on meanwhile, since calls run on each source's own thread.
        CountDownLatch never = new CountDownLatch(1);
        RecordingSource hung = new RecordingSource() {
            @Override
            public void start(SourceContext started) throws Exception {
                super.start(started);
                never.await();
            }
        };
        RecordingSource healthy = new RecordingSource();
        try (EngineHarness h = new EngineHarness()) {
            h.job("ok", "exec sleep 1000").load();
            h.engine.bindSource(hung, "hung", "org.example.hung");
            h.engine.bindSource(healthy, "healthy", "org.example.healthy");
            h.start("ok");
            await("the healthy source ran", () -> healthy.calls.contains("jobsChanged"));
            SourceContext context = hung.context();
            await("the hung source disabled", () -> context.emitter().emit(Event.of("late")).toCompletableFuture()
                    .isCompletedExceptionally(), EngineHarness.SOURCE_CALL_TIMEOUT.multipliedBy(3));
            assertEquals(List.of("start"), hung.calls);
        } finally {
            never.countDown();
        }
    }

    @Test
    void aSourceWhoseStopHangsIsReportedHungThoughItWasAlreadyUnbound() throws Exception {
        // unbound, its stop never returns: after the call timeout that is logged, once,
        // although the source is no longer among the bound ones; closing does not wait for it.
        CountDownLatch never = new CountDownLatch(1);
        RecordingSource hung = new RecordingSource() {
            @Override
            public void stop() {
                super.stop();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        List<String> errors = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel() == Level.SEVERE) {
                    errors.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(SourceHost.class.getName());
        logger.addHandler(handler);
        String reported = "event source hung from bundle org.example.hung did not return from stop within "
                + EngineHarness.SOURCE_CALL_TIMEOUT.toMillis() + " ms; it is disabled";
        try (EngineHarness h = new EngineHarness()) {
            h.engine.bindSource(hung, "hung", "org.example.hung");
            hung.context();
            h.engine.unbindSource(hung);
            await("the hung stop reported", () -> errors.contains(reported),
                    EngineHarness.SOURCE_CALL_TIMEOUT.multipliedBy(3));
        } finally {
            never.countDown();
            logger.removeHandler(handler);
        }
        assertEquals(List.of(reported), errors);
    }

    @Test
    void aSourceMustNotEmitAfterItWasStopped() throws Exception {
        // unbound: stop is called, and what it emits afterwards is dropped (and logged).
        RecordingSource source = new RecordingSource();
        try (EngineHarness h = new EngineHarness()) {
            h.job("late", "start on too-late", "exec sleep 1000").load();
            h.engine.bindSource(source, "test", "org.example.test");
            SourceContext context = source.context();
            h.engine.unbindSource(source);
            await("stopped", () -> source.calls.contains("stop"));
            assertTrue(context.emitter().emit(Event.of("too-late")).toCompletableFuture().isCompletedExceptionally());
            h.engine.ask(() -> null).toCompletableFuture().get();
            assertTrue(h.stopped("late"));
            assertFalse(h.jobEvents().contains("too-late"));
            assertEquals(List.of("start", "jobsChanged", "stop"), source.calls);
        }
    }
}
