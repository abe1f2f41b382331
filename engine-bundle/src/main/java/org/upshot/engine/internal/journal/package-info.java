/**
 * The journal: a bounded, in-memory record of what the engine did, for
 * {@code initctl boot-chart}, {@code boot-time} and the control protocol's
 * {@code journal} command.
 *
 * <p><b>What is kept.</b> One {@link org.upshot.engine.internal.journal.JournalEntry}
 * per state change of a job instance, per process spawned (with its pid), per failure
 * and per event as it is queued, handled and finished. Times are monotonic
 * ({@code System.nanoTime}) and counted from the daemon's start (the JVM's), in
 * microseconds, so they survive clock jumps and compare across entries.
 *
 * <p><b>Bounded.</b> The first {@code boot} entries (20,000 by default,
 * {@code -Dupshot.journal.boot.records}) are kept for good: that is the boot, what a
 * boot chart draws. After them a ring keeps the last {@code recent} entries (2,000,
 * {@code -Dupshot.journal.recent.records}) and counts those it dropped. So the memory
 * held is bounded however long the daemon runs: an entry is about 50 bytes, and an
 * event's three entries share one text of at most 256 characters (the engine cuts it),
 * so 22,000 entries hold at most about 3 MB.
 *
 * <p><b>Threads.</b> The engine thread alone writes and takes snapshots; other threads
 * read a {@link org.upshot.engine.internal.journal.Journal.Snapshot} they asked the
 * engine thread for. No locks.
 */
package org.upshot.engine.internal.journal;
