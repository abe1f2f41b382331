package org.upshot.engine.internal.job;

import org.upshot.daemon.DaemonSettings;

/**
 * How many events one source may emit: {@code perSecond} on average, {@code burst} at
 * once. A source over it has its events dropped; one that goes on until it has lost a
 * whole burst is disabled as flooding ({@link EventBudget}).
 *
 * @param perSecond the sustained rate
 * @param burst how many may come at once, and how many may be dropped before the source
 *     is disabled
 */
public record SourceEventLimit(int perSecond, int burst) {
    /** The framework property that sets it, as {@code RATE/BURST} ({@code 2000/20000}). */
    public static final String PROPERTY = DaemonSettings.SOURCE_EVENT_LIMIT;
    /** Room for a cold-plug storm of udev events, far below what floods the engine's queue. */
    public static final SourceEventLimit DEFAULT = new SourceEventLimit(2000, 20_000);

    public SourceEventLimit {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("an event limit needs a rate and a burst of at least 1");
        }
    }

    /** Reads {@code RATE/BURST}; null or empty is the default. */
    public static SourceEventLimit parse(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT;
        }
        int slash = text.indexOf('/');
        try {
            if (slash < 0) {
                throw new NumberFormatException();
            }
            return new SourceEventLimit(Integer.parseInt(text.substring(0, slash).trim()),
                    Integer.parseInt(text.substring(slash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY + " must be RATE/BURST (events per second / at once), not '"
                    + text + "'");
        }
    }

    @Override
    public String toString() {
        return perSecond + "/s, burst " + burst;
    }
}
