package org.upshot.engine.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.upshot.engine.internal.job.EngineHarness.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.upshot.event.Event;
import org.upshot.event.EventEmitter;
import org.upshot.event.EventExpression;
import org.upshot.job.JobState;
import org.upshot.job.JobView;
import org.upshot.spi.source.EventSource;
import org.upshot.spi.stanza.InheritedDescriptor;
import org.upshot.spi.stanza.Readiness;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaExtension;

/** Extension stanzas (conditions, environment, descriptors, readiness) and event sources. */
@Timeout(60)
class ExtensionsAndSourcesIT {

    private static final POSIX POSIX = POSIXFactory.getNativePOSIX();

    private static EventExpression.Match match(String event) {
        return new EventExpression.Match(event, List.of());
    }

    @Test
    void extensionDescriptorsReachMainAsFd3WithListenVariables() throws Exception {
        // descriptors → fd 3, LISTEN_FDS=1, LISTEN_PID = the final pid, UPSTART_FDS=3;
        // the extension's start condition is or-ed in and its environment added.
        Path out = Files.createTempFile("upshot-fd", ".txt");
        int fd = POSIX.open(out.toString(), 01 | 02000, 0644); // O_WRONLY | O_APPEND
        assertTrue(fd > 2);
        InheritedDescriptor descriptor = new InheritedDescriptor() {
            @Override
            public int descriptor() {
                return fd;
            }

            @Override
            public String name() {
                return "test";
            }
        };
        StanzaExtension passfd = input -> new StanzaContribution(Optional.of(match("fd-wanted")), Optional.empty(),
                Map.of("EXTRA", "yes"), List.of(descriptor), Optional.empty(), "passfd");
        try (EngineHarness h = new EngineHarness(Optional.empty(), Map.of("passfd", passfd))) {
            h.job("fdjob", "start on never-emitted", "passfd", "console none",
                    "exec sh -c 'echo \"$LISTEN_FDS $LISTEN_PID $$ $UPSTART_FDS $EXTRA\" >&3; exec sleep 1000'").load();
            h.emit("fd-wanted");
            assertTrue(h.running("fdjob"));
            await("wrote to fd 3", () -> {
                try {
                    return !Files.readString(out).isEmpty();
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            String[] words = Files.readString(out).strip().split(" ");
            assertEquals("1", words[0]);
            assertEquals(words[2], words[1], "LISTEN_PID is the process's own pid");
            assertEquals(String.valueOf(h.mainPid("fdjob")), words[2]);
            assertEquals("3", words[3]);
            assertEquals("yes", words[4]);
        } finally {
            POSIX.close(fd);
            Files.deleteIfExists(out);
        }
    }

    @Test
    void extensionReadinessHoldsTheJobInSpawnedUntilReady() throws Exception {
        // readiness from an extension replaces expect: started only once it completes.
        AtomicReference<CompletableFuture<Void>> ready = new AtomicReference<>();
        List<Integer> askedFor = new CopyOnWriteArrayList<>();
        Readiness readiness = pid -> {
            askedFor.add(pid);
            CompletableFuture<Void> stage = new CompletableFuture<>();
            ready.set(stage);
            return stage;
        };
        StanzaExtension notify = input -> new StanzaContribution(Optional.empty(), Optional.empty(), Map.of(),
                List.of(), Optional.of(readiness), "ready");
        try (EngineHarness h = new EngineHarness(Optional.empty(), Map.of("ready-when", notify))) {
            h.job("notifier", "ready-when", "console none", "exec sleep 1000").load();
            h.control.start("notifier", List.of(), false);
            await("asked", () -> ready.get() != null);
            assertEquals(JobState.SPAWNED, h.instance("notifier").orElseThrow().state());
            assertEquals(List.of(h.mainPid("notifier")), askedFor);
            ready.get().complete(null);
            await("running", () -> h.running("notifier"));
            await("started", () -> h.jobEvents().contains("started notifier"));
        }
    }

    @Test
    void aSourceEmitsThroughItsEmitterAndSeesTheJobs() throws Exception {
        // a bound source is started with an emitter and told the jobs; its events start jobs.
        AtomicReference<EventEmitter> emitter = new AtomicReference<>();
        List<List<String>> jobNames = new CopyOnWriteArrayList<>();
        EventSource source = new EventSource() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public void start(EventEmitter events) {
                emitter.set(events);
            }

            @Override
            public void jobsChanged(java.util.Collection<JobView> jobs) {
                jobNames.add(jobs.stream().map(JobView::name).toList());
            }

            @Override
            public void stop() {
            }
        };
        try (EngineHarness h = new EngineHarness()) {
            h.job("triggered", "start on test-event", "exec sleep 1000").load();
            h.engine.bindSource(source, "org.example.test");
            await("source started", () -> emitter.get() != null && !jobNames.isEmpty());
            assertEquals(List.of("triggered"), jobNames.get(0));
            EngineHarness.get(emitter.get().emit(Event.of("test-event")));
            assertTrue(h.running("triggered"));
        }
    }

    @Test
    void aThrowingSourceIsIsolatedAndTheEngineGoesOn() throws Exception {
        // a source whose start throws is marked failed and never called again.
        List<String> calls = new CopyOnWriteArrayList<>();
        EventSource broken = new EventSource() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public void start(EventEmitter events) {
                calls.add("start");
                throw new IllegalStateException("boom");
            }

            @Override
            public void jobsChanged(java.util.Collection<JobView> jobs) {
                calls.add("jobsChanged");
            }

            @Override
            public void stop() {
                calls.add("stop");
            }
        };
        try (EngineHarness h = new EngineHarness()) {
            h.job("ok", "exec sleep 1000").load();
            h.engine.bindSource(broken, "org.example.broken");
            h.engine.unbindSource(broken);
            h.start("ok");
            assertEquals(List.of("start"), calls);
        }
    }
}
