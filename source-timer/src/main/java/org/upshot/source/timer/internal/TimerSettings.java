package org.upshot.source.timer.internal;

import java.time.Duration;
import java.util.function.Function;

/**
 * The timer source's tunables, from system properties (in {@code UPSHOT_JAVA_OPTS}); each
 * has a default, and a malformed value is refused when the source is made.
 *
 * @param idleSettle {@value #IDLE_SETTLE_MILLIS}: how long no job may change state before
 *     {@code idle} (default 10 s)
 * @param idleCap {@value #IDLE_CAP_MILLIS}: how long after the source started {@code idle}
 *     comes whatever the activity and load (default 120 s)
 * @param idleLoadPerCpu {@value #IDLE_LOAD_PER_CPU}: the one-minute load average per CPU
 *     below which the system counts as idle (default 0.5)
 */
public record TimerSettings(Duration idleSettle, Duration idleCap, double idleLoadPerCpu) {

    public static final String IDLE_SETTLE_MILLIS = "upshot.timer.idle.settle.millis";
    public static final String IDLE_CAP_MILLIS = "upshot.timer.idle.cap.millis";
    public static final String IDLE_LOAD_PER_CPU = "upshot.timer.idle.load.per.cpu";

    /**
     * The settings {@code property} gives (null: the default).
     *
     * @throws IllegalArgumentException for a value that is not a number, or negative
     */
    public static TimerSettings from(Function<String, String> property) {
        return new TimerSettings(Duration.ofMillis(number(property, IDLE_SETTLE_MILLIS, 10_000).longValue()),
                Duration.ofMillis(number(property, IDLE_CAP_MILLIS, 120_000).longValue()),
                number(property, IDLE_LOAD_PER_CPU, 0.5).doubleValue());
    }

    private static Number number(Function<String, String> property, String key, Number fallback) {
        String text = property.apply(key);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(text.strip());
            if (value < 0) {
                throw new IllegalArgumentException(key + "=" + text + " is negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + text + " is not a number", e);
        }
    }
}
