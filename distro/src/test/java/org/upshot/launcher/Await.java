package org.upshot.launcher;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Waits for a condition with a timeout: the tests' only way to wait. */
final class Await {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private Await() {
    }

    /**
     * Polls {@code condition} until it is true.
     *
     * @param describe what the test waited for and what it saw, for the failure message
     * @throws AssertionError on timeout
     */
    static void until(Duration timeout, Supplier<Boolean> condition, Supplier<String> describe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms: " + describe.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
