package org.upshot.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting and log reading shared by the harnesses that drive a booted daemon. */
final class Harness {

    private Harness() {}

    /** How many times {@code text} occurs in the file {@code log}. */
    static int count(Path log, String text) {
        try {
            return count(Files.readString(log), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many times {@code text} occurs in {@code content}. */
    static int count(String content, String text) {
        int count = 0;
        for (int at = content.indexOf(text); at >= 0; at = content.indexOf(text, at + 1)) {
            count++;
        }
        return count;
    }

    /**
     * Polls {@code condition} every {@code pollNanos} until it holds.
     *
     * @throws IllegalStateException after {@code seconds}
     */
    static void await(BooleanSupplier condition, int seconds, String what, long pollNanos) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            LockSupport.parkNanos(pollNanos);
        }
    }
}
