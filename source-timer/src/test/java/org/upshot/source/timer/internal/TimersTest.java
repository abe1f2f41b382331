package org.upshot.source.timer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.event.Event;
import org.upshot.event.EventExpression;
import org.upshot.event.RunPriority;
import org.upshot.job.InstanceChange;
import org.upshot.job.InstanceRef;
import org.upshot.job.InstanceView;
import org.upshot.job.JobGoal;
import org.upshot.job.JobState;
import org.upshot.job.JobView;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput.Word;
import org.upshot.testkit.Await;
import org.upshot.testkit.RecordingEmitter;
import org.upshot.testkit.TestSourceContext;

/** The running source with real Quartz and the real clock, its events recorded. */
@Timeout(30)
class TimersTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Idle only at the cap, which no test but the idle one waits for. */
    private static final TimerSettings NO_IDLE = new TimerSettings(Duration.ofHours(1), Duration.ofHours(1), 0);

    @TempDir
    Path dir;

    private final RecordingEmitter emitter = new RecordingEmitter();
    private final List<Timers> started = new ArrayList<>();
    private TestSourceContext context;

    @AfterEach
    void stop() {
        started.forEach(Timers::stop);
    }

    private Timers start(TimerSettings settings) throws Exception {
        context = TestSourceContext.of(emitter, dir);
        Timers timers = Timers.start(context, settings);
        started.add(timers);
        return timers;
    }

    /** Job {@code name} with one timer stanza ({@code every 1s}), as the engine shows it to sources. */
    static JobView stanzaJob(String name, String keyword, String arguments, InstanceView... instances)
            throws StanzaException {
        List<Word> words = new ArrayList<>();
        for (String text : arguments.split(" ")) {
            words.add(new Word(text, 1, 1));
        }
        TimerSpec spec = TimerSpec.parse(keyword, words, 1, 1);
        return new JobView(name, Path.of(name + ".conf"), Optional.empty(),
                Optional.of(TimerEvents.condition(name, spec.schedule())), Optional.empty(), List.of(),
                Map.of(keyword, List.of(List.of(arguments.split(" ")))), List.of(instances));
    }

    static InstanceView running(String job) {
        return new InstanceView(job, "", JobGoal.START, JobState.RUNNING, Map.of(), List.of());
    }

    private List<Event> timerEvents(String job) {
        return emitter.events().stream().filter(e -> e.name().equals(TimerEvents.TIMER)
                && e.get("JOB").orElse("").equals(job)).toList();
    }

    private void awaitTimerEvents(String job, int count) {
        Await.until(WAIT, () -> timerEvents(job).size() >= count, () -> count + " timer events of " + job + " in "
                + emitter.events());
    }

    @Test
    void aStanzaTimerFiresWithItsJobScheduleAndSlotAndShowsItsNextFire() throws Exception {
        Timers timers = start(NO_IDLE);
        timers.jobsChanged(List.of(stanzaJob("tick", "every", "1s")));
        awaitTimerEvents("tick", 2);
        Event first = timerEvents("tick").get(0);
        Event second = timerEvents("tick").get(1);
        assertEquals("every 1s", first.get("SCHEDULE").orElseThrow());
        assertEquals(Optional.empty(), first.get("MISSED"), "a punctual fire is no catch-up");
        OffsetDateTime one = OffsetDateTime.parse(first.get("TIME").orElseThrow());
        OffsetDateTime two = OffsetDateTime.parse(second.get("TIME").orElseThrow());
        assertEquals(1, ChronoUnit.SECONDS.between(one, two), first + " then " + second);
        assertEquals(RunPriority.NORMAL, emitter.priority(first));
        context.awaitDescription("tick", lines -> lines.size() == 1 && lines.get(0).startsWith("timer every 1s: next "),
                WAIT);
    }

    @Test
    void aFireWhileTheJobStillRunsIsSkippedCountedAndShownNeverQueued() throws Exception {
        Timers timers = start(NO_IDLE);
        timers.jobsChanged(List.of(stanzaJob("slow", "every", "1s", running("slow"))));
        context.awaitDescription("slow", lines -> lines.get(0).endsWith(", 2 fires skipped while a run was going"),
                WAIT);
        assertEquals(List.of(), timerEvents("slow"), "skipped fires emit nothing");
        timers.instanceChanged(new InstanceChange(new InstanceRef("slow", ""), InstanceChange.Phase.STOPPED,
                Optional.empty()));
        awaitTimerEvents("slow", 1);
        assertEquals(Optional.empty(), timerEvents("slow").get(0).get("MISSED"), "skipped fires are not missed ones");
    }

    /**
     * A job whose condition matches any {@code every 1s} fire runs on; another job's own
     * {@code every 1s} timer still fires for it (a fire is skipped only when it would start
     * nothing), as the contract's already-true job found when the two loaded in this order.
     */
    @Test
    void aTimerFiresForItsIdleJobWhileAnotherMatchingJobRuns() throws Exception {
        EventExpression anyEverySecond = new EventExpression.Match(TimerEvents.TIMER,
                List.of(EventExpression.Argument.equal("SCHEDULE", "every 1s")));
        JobView watcher = new JobView("watcher", Path.of("watcher.conf"), Optional.empty(),
                Optional.of(anyEverySecond), Optional.empty(), List.of(), Map.of(), List.of(running("watcher")));
        Timers timers = start(NO_IDLE);
        timers.jobsChanged(List.of(watcher, stanzaJob("tick", "every", "1s")));
        awaitTimerEvents("tick", 2);
        assertEquals(List.of(), timerEvents("watcher"), "watcher's own timer finds it running: skipped");
    }

    @Test
    void aPersistentIntervalFiresOnceForTheSlotsMissedWhileTheDaemonWasDown() throws Exception {
        JobView job = stanzaJob("backup", "every", "1s persistent");
        TimerKey key = new TimerKey("backup", new Schedule.Every(Duration.ofSeconds(1)));
        Instant stamp = Instant.now().minusMillis(5_500).truncatedTo(ChronoUnit.MILLIS);
        new StampStore(dir.resolve("state")).write(key, stamp);
        Timers timers = start(NO_IDLE);
        timers.jobsChanged(List.of(job));
        awaitTimerEvents("backup", 3);
        List<Event> events = timerEvents("backup");
        assertEquals("5", events.get(0).get("MISSED").orElse(""), events.toString());
        assertEquals(TimerEvents.time(stamp.plusSeconds(5), java.time.ZoneId.systemDefault()),
                events.get(0).get("TIME").orElseThrow());
        assertTrue(events.stream().skip(1).noneMatch(e -> e.get("MISSED").isPresent()), "caught up once: " + events);
        Instant written = new StampStore(dir.resolve("state")).read(key).orElseThrow();
        assertTrue(written.isAfter(stamp.plusSeconds(5)), "the stamp follows the fires: " + written);
    }

    @Test
    void aPersistentCrontabLineFiresOnceForTheMinutesMissed() throws Exception {
        JobView job = stanzaJob("report", "cron", "* * * * * persistent");
        TimerKey key = new TimerKey("report", Schedule.parse("cron * * * * *"));
        Instant now = Instant.now();
        new StampStore(dir.resolve("state")).write(key, now.minusSeconds(150));
        Timers timers = start(NO_IDLE);
        timers.jobsChanged(List.of(job));
        awaitTimerEvents("report", 1);
        Event catchUp = timerEvents("report").get(0);
        int missed = Integer.parseInt(catchUp.get("MISSED").orElseThrow());
        assertTrue(missed == 2 || missed == 3, catchUp.toString());
        OffsetDateTime slot = OffsetDateTime.parse(catchUp.get("TIME").orElseThrow());
        assertEquals(0, slot.getSecond(), "a crontab slot is a whole minute: " + slot);
        assertFalse(slot.toInstant().isAfter(now), catchUp.toString());
        Instant stamped = new StampStore(dir.resolve("state")).read(key).orElseThrow();
        assertEquals(slot.toInstant(), stamped);
    }

    @Test
    void aStartOnTimerConditionMakesATimerWithoutAStanza() throws Exception {
        EventExpression condition = new EventExpression.Match(TimerEvents.TIMER,
                List.of(EventExpression.Argument.equal("SCHEDULE", "every 1s")));
        JobView job = new JobView("direct", Path.of("direct.conf"), Optional.empty(), Optional.of(condition),
                Optional.empty(), List.of(), Map.of(), List.of());
        start(NO_IDLE).jobsChanged(List.of(job));
        awaitTimerEvents("direct", 1);
        assertEquals("every 1s", timerEvents("direct").get(0).get("SCHEDULE").orElseThrow());
    }

    @Test
    void aChangedScheduleReplacesTheTimerAndARemovedJobLosesIt() throws Exception {
        Timers timers = start(NO_IDLE);
        timers.jobsChanged(List.of(stanzaJob("nightly", "cron", "0 3 * * *")));
        context.awaitDescription("nightly", lines -> lines.size() == 1 && lines.get(0).startsWith(
                "timer cron 0 3 * * *: next ") && lines.get(0).contains("T03:00:00"), WAIT);
        timers.jobsChanged(List.of(stanzaJob("nightly", "cron", "30 4 * * * persistent")));
        context.awaitDescription("nightly", lines -> lines.size() == 1 && lines.get(0).startsWith(
                "timer cron 30 4 * * * persistent: next ") && lines.get(0).contains("T04:30:00"), WAIT);
        timers.jobsChanged(List.of());
        context.awaitDescription("nightly", List::isEmpty, WAIT);
    }

    @Test
    void idleComesOnceAtBackgroundPriorityEvenAfterAReload() throws Exception {
        TimerSettings quick = new TimerSettings(Duration.ofMillis(200), Duration.ofSeconds(2), 1000);
        Timers first = start(quick);
        first.jobsChanged(List.of());
        Event idle = emitter.await(event -> event.name().equals(TimerEvents.IDLE), WAIT);
        assertEquals(RunPriority.BACKGROUND, emitter.priority(idle));
        first.stop();
        start(quick).jobsChanged(List.of()); // the plugin reloaded in the same daemon
        Await.stays(Duration.ofMillis(2500), () -> emitter.events().stream()
                .filter(event -> event.name().equals(TimerEvents.IDLE)).count() == 1, emitter::toString);
    }
}
