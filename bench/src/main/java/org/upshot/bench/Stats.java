package org.upshot.bench;

import java.util.Arrays;

/** Summaries shared by the plain-main harnesses. */
final class Stats {

    private Stats() {}

    /** The middle value (the upper one of the two for an even count). */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
