package org.upshot.engine.internal.journal;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The engine's journal: the first {@code boot} entries, then a ring of the last
 * {@code recent}. Engine thread only; see the package essay.
 */
public final class Journal {

    /** Entries kept from the start, by default. */
    public static final int DEFAULT_BOOT_RECORDS = 20_000;
    /** Entries kept after those, by default. */
    public static final int DEFAULT_RECENT_RECORDS = 2_000;
    static final String BOOT_PROPERTY = "upshot.journal.boot.records";
    static final String RECENT_PROPERTY = "upshot.journal.recent.records";

    private final int bootCapacity;
    private final int recentCapacity;
    private final LongSupplier nanoClock;
    private final long originNanos;
    private final List<JournalEntry> boot = new ArrayList<>();
    private final ArrayDeque<JournalEntry> recent = new ArrayDeque<>();
    private long dropped;

    /**
     * @param nanoClock a monotonic clock ({@code System::nanoTime})
     * @param originNanos the clock's reading when the daemon started
     */
    public Journal(int bootCapacity, int recentCapacity, LongSupplier nanoClock, long originNanos) {
        if (bootCapacity < 0 || recentCapacity < 0) {
            throw new IllegalArgumentException("journal capacities must not be negative");
        }
        this.bootCapacity = bootCapacity;
        this.recentCapacity = recentCapacity;
        this.nanoClock = nanoClock;
        this.originNanos = originNanos;
    }

    /** A journal sized by the system properties, timed from the JVM's start. */
    public static Journal forDaemon() {
        long now = System.nanoTime();
        long uptime;
        try {
            uptime = TimeUnit.MILLISECONDS.toNanos(ManagementFactory.getRuntimeMXBean().getUptime());
        } catch (RuntimeException | LinkageError e) {
            uptime = 0; // no management: count from the engine's start instead
        }
        return new Journal(Integer.getInteger(BOOT_PROPERTY, DEFAULT_BOOT_RECORDS),
                Integer.getInteger(RECENT_PROPERTY, DEFAULT_RECENT_RECORDS), System::nanoTime, now - uptime);
    }

    /** Records one entry now. */
    public void record(JournalEntry.Kind kind, String job, String instance, String what, int pid) {
        JournalEntry entry = new JournalEntry(TimeUnit.NANOSECONDS.toMicros(nanoClock.getAsLong() - originNanos),
                kind, job, instance, what, pid);
        if (boot.size() < bootCapacity) {
            boot.add(entry);
            return;
        }
        if (recentCapacity == 0) {
            dropped++;
            return;
        }
        if (recent.size() == recentCapacity) {
            recent.removeFirst();
            dropped++;
        }
        recent.addLast(entry);
    }

    /** Records an event's progress. */
    public void event(JournalEntry.Kind kind, String event) {
        record(kind, "", "", event, 0);
    }

    /** A copy of what is kept, for other threads. */
    public Snapshot snapshot() {
        return new Snapshot(List.copyOf(boot), List.copyOf(recent), dropped, boot.size() == bootCapacity);
    }

    /**
     * The journal at one moment.
     *
     * @param boot the first entries, in order
     * @param recent the last entries after those, in order
     * @param dropped how many entries fell out between the two
     * @param bootFull whether {@code boot} reached its capacity (the boot may go on in {@code recent})
     */
    public record Snapshot(List<JournalEntry> boot, List<JournalEntry> recent, long dropped, boolean bootFull) {
    }
}
