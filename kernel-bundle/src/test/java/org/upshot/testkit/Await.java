package org.upshot.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting in tests: a condition polled until it holds, with a timeout, or a condition
 * that must keep holding for a while. Polling is how these tests observe another
 * process; it never orders anything.
 */
public final class Await {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private Await() {
    }

    /**
     * Polls {@code condition} until it is true.
     *
     * @param describe what the test waited for and what it saw, for the failure message
     * @throws AssertionError on timeout
     */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> describe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms: " + describe.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * Polls {@code condition} for all of {@code period}: it must hold each time.
     *
     * @param describe what should have stayed true and what the test saw instead
     * @throws AssertionError the first time it does not hold
     */
    public static void stays(Duration period, BooleanSupplier condition, Supplier<String> describe) {
        long deadline = System.nanoTime() + period.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("within " + period.toMillis() + " ms: " + describe.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
        } while (System.nanoTime() - deadline < 0);
        if (!condition.getAsBoolean()) {
            throw new AssertionError("at the end of " + period.toMillis() + " ms: " + describe.get());
        }
    }
}
