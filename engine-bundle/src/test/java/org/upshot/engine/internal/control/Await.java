package org.upshot.engine.internal.control;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition, polling, with a deadline. */
final class Await {

    private Await() {
    }

    static void until(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
