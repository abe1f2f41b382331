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

    /** As {@link #median(double[])}, for whole numbers. */
    static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The value at fraction {@code p} of already sorted values (nearest rank). */
    static double percentile(double[] sorted, double p) {
        return sorted[(int) Math.ceil(sorted.length * p) - 1];
    }

    /** As {@link #percentile(double[], double)}, for whole numbers. */
    static long percentile(long[] sorted, double p) {
        return sorted[(int) Math.ceil(sorted.length * p) - 1];
    }
}
