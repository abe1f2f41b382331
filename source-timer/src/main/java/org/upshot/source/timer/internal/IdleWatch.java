package org.upshot.source.timer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * When boot activity has settled: no instance has passed a milestone for the settle time
 * and the load average is low, or the cap has passed since the watch began, whichever
 * comes first. Thread-safe.
 */
final class IdleWatch {

    private final TimerSettings settings;
    private final LongSupplier nanoTime;
    private final DoubleSupplier loadPerCpu;
    private final long began;
    private volatile long lastActivity;

    /**
     * @param nanoTime the monotonic clock ({@code System::nanoTime})
     * @param loadPerCpu the one-minute load average per CPU now
     */
    IdleWatch(TimerSettings settings, LongSupplier nanoTime, DoubleSupplier loadPerCpu) {
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.loadPerCpu = loadPerCpu;
        this.began = nanoTime.getAsLong();
        this.lastActivity = began;
    }

    /** An instance passed a milestone: the settle time starts again. */
    void activity() {
        lastActivity = nanoTime.getAsLong();
    }

    /** Why it is idle now ({@code settled}, {@code cap reached}), or null if it is not yet. */
    String idleBecause() {
        long now = nanoTime.getAsLong();
        if (now - began >= settings.idleCap().toNanos()) {
            return "no sign of settling after " + settings.idleCap().toSeconds() + " s";
        }
        if (now - lastActivity >= settings.idleSettle().toNanos()) {
            double load = loadPerCpu.getAsDouble();
            if (load < settings.idleLoadPerCpu()) {
                return String.format("no job changed state for %d ms and the load per CPU is %.2f",
                        settings.idleSettle().toMillis(), load);
            }
        }
        return null;
    }

    /** How often to look: often enough for the settle time, at most once a second. */
    Duration pollInterval() {
        long quarter = settings.idleSettle().toMillis() / 4;
        return Duration.ofMillis(Math.max(100, Math.min(1_000, quarter)));
    }

    /** The one-minute load average per CPU, from {@code /proc/loadavg}; 0 if it cannot be read. */
    static double systemLoadPerCpu() {
        try {
            String first = Files.readString(Path.of("/proc/loadavg")).split(" ", 2)[0];
            return Double.parseDouble(first) / Runtime.getRuntime().availableProcessors();
        } catch (IOException | NumberFormatException e) {
            return 0; // then the settle time alone decides
        }
    }
}
