package org.upshot.engine.internal.job;

import java.util.function.LongSupplier;

/**
 * One source's events against its {@link SourceEventLimit}: a token bucket that refills
 * at the rate up to the burst, and the counters {@code initctl sources} shows. Emits come
 * from the source's own threads, hence the lock.
 *
 * <p>A flood is told from a burst by what is lost: drops are added up until the bucket is
 * full again (the source kept quiet long enough), and a source that loses a whole burst
 * before then is flooding.
 */
final class EventBudget {

    /** What became of one event. */
    enum Verdict {
        /** Within the limit. */
        TAKEN,
        /** Over it: the first drop since the bucket was last full, worth a log line. */
        FIRST_DROP,
        /** Over it, again. */
        DROPPED,
        /** Over it for a whole burst: the source floods. */
        FLOODING
    }

    private final SourceEventLimit limit;
    private final LongSupplier nanoClock;
    private double tokens;
    private long refilledAt;
    private long taken;
    private long dropped;
    private long droppedSinceFull;

    EventBudget(SourceEventLimit limit, LongSupplier nanoClock) {
        this.limit = limit;
        this.nanoClock = nanoClock;
        this.tokens = limit.burst();
        this.refilledAt = nanoClock.getAsLong();
    }

    synchronized Verdict take() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(limit.burst(), tokens + (now - refilledAt) * limit.perSecond() / 1e9);
        refilledAt = now;
        if (tokens >= limit.burst()) {
            droppedSinceFull = 0;
        }
        if (tokens >= 1) {
            tokens -= 1;
            taken++;
            return Verdict.TAKEN;
        }
        dropped++;
        droppedSinceFull++;
        if (droppedSinceFull >= limit.burst()) {
            return Verdict.FLOODING;
        }
        return droppedSinceFull == 1 ? Verdict.FIRST_DROP : Verdict.DROPPED;
    }

    SourceEventLimit limit() {
        return limit;
    }

    synchronized long taken() {
        return taken;
    }

    synchronized long dropped() {
        return dropped;
    }
}
