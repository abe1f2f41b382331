package org.upshot.source.timer.internal;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.quartz.CronExpression;
import org.quartz.impl.calendar.MonthlyCalendar;

/**
 * A {@link CronSpec}'s slots, computed by Quartz: its expressions and, for a line whose
 * two day fields must both match, a calendar that keeps only its days of month. Not
 * thread-safe (Quartz's {@link CronExpression} is not); made for one use, as it is large.
 */
final class QuartzCron {

    /** A scan for missed slots stops after this many: a minutely line over two months. */
    static final int MAX_COUNTED = 100_000;
    private static final List<Duration> LOOK_BACK = List.of(Duration.ofDays(1), Duration.ofDays(32),
            Duration.ofDays(367));

    private final List<CronExpression> expressions = new ArrayList<>();
    private final Optional<MonthlyCalendar> days;

    QuartzCron(CronSpec spec) {
        for (String expression : spec.quartzExpressions()) {
            try {
                expressions.add(new CronExpression(expression));
            } catch (ParseException e) {
                throw new IllegalStateException("can't happen: " + spec + " translated to a bad Quartz expression '"
                        + expression + "'", e);
            }
        }
        days = spec.requiredDaysOfMonth().map(QuartzCron::onlyOn);
    }

    private static MonthlyCalendar onlyOn(BitSet required) {
        MonthlyCalendar calendar = new MonthlyCalendar();
        for (int day = 1; day <= 31; day++) {
            calendar.setDayExcluded(day, !required.get(day));
        }
        return calendar;
    }

    /** The first slot after {@code after}; empty if there is none (February 30). */
    Optional<Instant> next(Instant after) {
        Date earliest = null;
        for (CronExpression expression : expressions) {
            Date candidate = expression.getTimeAfter(Date.from(after));
            while (candidate != null && days.isPresent() && !days.get().isTimeIncluded(candidate.getTime())) {
                candidate = expression.getTimeAfter(candidate);
            }
            if (candidate != null && (earliest == null || candidate.before(earliest))) {
                earliest = candidate;
            }
        }
        return Optional.ofNullable(earliest).map(Date::toInstant);
    }

    /**
     * The slots in {@code (after, upTo]}: how many (at most {@link #MAX_COUNTED}) and the
     * latest (null when none).
     */
    Slots slotsBetween(Instant after, Instant upTo) {
        int count = 0;
        Instant latest = null;
        Optional<Instant> slot = next(after);
        while (slot.isPresent() && !slot.get().isAfter(upTo) && count < MAX_COUNTED) {
            count++;
            latest = slot.get();
            slot = next(latest);
        }
        if (count == MAX_COUNTED) {
            latest = lastSlot(upTo, latest);
        }
        return new Slots(count, latest);
    }

    /**
     * The latest slot up to {@code upTo}, found in the shortest window before it that has
     * one: a line dense enough to reach the count limit has one within a day, usually.
     */
    private Instant lastSlot(Instant upTo, Instant known) {
        for (Duration window : LOOK_BACK) {
            Instant from = upTo.minus(window);
            if (!from.isAfter(known)) {
                break;
            }
            Instant last = null;
            for (Optional<Instant> slot = next(from); slot.isPresent() && !slot.get().isAfter(upTo);
                    slot = next(slot.get())) {
                last = slot.get();
            }
            if (last != null) {
                return last;
            }
        }
        return known;
    }

    /** A count of slots and the latest of them. */
    record Slots(int count, Instant latest) {}
}
