package org.upshot.engine.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.upshot.engine.internal.job.EventBudget.Verdict;

/** The token bucket on a clock the test turns: bursts pass, a sustained excess is dropped, a flood is told. */
class EventBudgetTest {
    private long now = 1_000_000_000L;
    private final EventBudget budget = new EventBudget(new SourceEventLimit(10, 5), () -> now);

    private void advanceMillis(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void aBurstPassesThenTheRestIsDroppedUntilTheBucketRefills() {
        for (int i = 0; i < 5; i++) {
            assertEquals(Verdict.TAKEN, budget.take());
        }
        assertEquals(Verdict.FIRST_DROP, budget.take());
        assertEquals(Verdict.DROPPED, budget.take());
        advanceMillis(100); // one token at 10 a second
        assertEquals(Verdict.TAKEN, budget.take());
        assertEquals(Verdict.DROPPED, budget.take());
        assertEquals(6, budget.taken());
        assertEquals(3, budget.dropped());
    }

    @Test
    void losingAWholeBurstBeforeTheBucketIsFullAgainIsAFlood() {
        for (int i = 0; i < 5; i++) {
            budget.take();
        }
        assertEquals(Verdict.FIRST_DROP, budget.take());
        for (int i = 0; i < 3; i++) {
            assertEquals(Verdict.DROPPED, budget.take());
        }
        assertEquals(Verdict.FLOODING, budget.take());
    }

    @Test
    void aQuietSpellThatFillsTheBucketForgivesEarlierDrops() {
        for (int i = 0; i < 9; i++) {
            budget.take(); // 5 taken, 4 dropped: one short of a flood
        }
        advanceMillis(500); // full again
        for (int i = 0; i < 5; i++) {
            assertEquals(Verdict.TAKEN, budget.take());
        }
        assertEquals(Verdict.FIRST_DROP, budget.take(), "a new episode, not the fifth drop of the old one");
    }

    @Test
    void theLimitIsReadAsRateSlashBurst() {
        assertEquals(new SourceEventLimit(50, 200), SourceEventLimit.parse("50/200"));
        assertEquals(SourceEventLimit.DEFAULT, SourceEventLimit.parse(null));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> SourceEventLimit.parse("50"));
        assertEquals("upshot.source.event.limit must be RATE/BURST (events per second / at once), not '50'",
                bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SourceEventLimit.parse("0/10"));
    }
}
