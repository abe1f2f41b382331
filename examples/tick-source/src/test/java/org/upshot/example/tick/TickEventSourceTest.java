package org.upshot.example.tick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.event.Event;
import org.upshot.event.EventExpression;
import org.upshot.job.JobView;
import org.upshot.testkit.RecordingEmitter;
import org.upshot.testkit.TestSourceContext;

/** The tick source on its own, on the real clock. */
@Timeout(30)
class TickEventSourceTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final RecordingEmitter emitter = new RecordingEmitter();
    private final TickEventSource source = new TickEventSource();

    private boolean started;

    private void start() throws Exception {
        source.start(TestSourceContext.of(emitter, dir));
        started = true;
    }

    @AfterEach
    void stop() {
        if (started) {
            source.stop();
        }
    }

    private static JobView job(String name, String period) {
        EventExpression tick = new EventExpression.Match("tick", List.of(EventExpression.Argument.equal("PERIOD", period)));
        return new JobView(name, Path.of(name + ".conf"), Optional.empty(), Optional.of(tick), Optional.empty(),
                List.of(), Map.of(), List.of());
    }

    private static boolean tick(Event event, String period, String count) {
        return event.equals(Event.of("tick", "PERIOD=" + period, "COUNT=" + count));
    }

    @Test
    void aPeriodAJobAsksForIsAnnouncedAtOnceThenTicks() throws Exception {
        // COUNT=0 when the job is first seen, COUNT=1 one period later.
        start();
        source.jobsChanged(List.of(job("every-second", "1")));
        emitter.await(event -> tick(event, "1", "0"), WAIT);
        emitter.await(event -> tick(event, "1", "1"), WAIT);
    }

    @Test
    void onlyPeriodsSomeJobAsksForTick() throws Exception {
        // a glob is not a period; a period nobody asks for any more stops ticking.
        start();
        source.jobsChanged(List.of(job("glob", "*"), job("one", "1")));
        emitter.await(event -> tick(event, "1", "1"), WAIT);
        assertTrue(emitter.events().stream().allMatch(event -> event.get("PERIOD").orElseThrow().equals("1")));
        source.jobsChanged(List.of());
        int before = emitter.events().size();
        Thread.sleep(1500); // an observation window for an absence, not synchronisation
        assertTrue(emitter.events().size() <= before + 1, "at most a tick already under way");
    }

    @Test
    void nothingIsEmittedAfterStop() throws Exception {
        // stop waits for a tick under way; the clock is gone afterwards.
        start();
        source.jobsChanged(List.of(job("one", "1")));
        emitter.await(event -> tick(event, "1", "0"), WAIT);
        source.stop();
        started = false;
        List<Event> atStop = emitter.events();
        // a tick is due within a second of stop: none may arrive
        Thread.sleep(1500); // an observation window for an absence, not synchronisation
        assertEquals(atStop, emitter.events());
    }

    @Test
    void periodsComeFromStartAndStopConditions() {
        // both stanzas' conditions and hand-written ones count; negated ones do not.
        EventExpression stopOn = new EventExpression.Or(
                new EventExpression.Match("tick", List.of(EventExpression.Argument.equal("PERIOD", "60"))),
                new EventExpression.Match("tick", List.of(EventExpression.Argument.notEqual("PERIOD", "7"))));
        JobView job = new JobView("j", Path.of("j.conf"), Optional.empty(), Optional.empty(), Optional.of(stopOn),
                List.of(), Map.of(), List.of());
        assertEquals(java.util.Set.of(60L, 5L), TickEventSource.periods(List.of(job, job("k", "5"))));
    }
}
