package org.upshot.engine.internal.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class JournalTest {

    private final AtomicLong clock = new AtomicLong(5_000_000);

    private List<String> whats(List<JournalEntry> entries) {
        return entries.stream().map(JournalEntry::what).toList();
    }

    @Test
    void keepsTheBootThenARingOfTheLatestAndCountsWhatFellOut() {
        // Scenario: 3 boot places, 2 recent places, 7 entries: 1-3 kept, 4 and 5 dropped, 6-7 in the ring.
        Journal journal = new Journal(3, 2, clock::get, 0);
        for (int i = 1; i <= 7; i++) {
            journal.record(JournalEntry.Kind.STATE, "web", "", "s" + i, 0);
        }
        Journal.Snapshot snapshot = journal.snapshot();
        assertEquals(List.of("s1", "s2", "s3"), whats(snapshot.boot()));
        assertEquals(List.of("s6", "s7"), whats(snapshot.recent()));
        assertEquals(2, snapshot.dropped());
        assertTrue(snapshot.bootFull());
    }

    @Test
    void timesAreMicrosecondsSinceTheOriginOnTheMonotonicClock() {
        // Scenario: origin at 1 ms, entries at 5 ms and 7.5 ms.
        Journal journal = new Journal(10, 10, clock::get, 1_000_000);
        journal.record(JournalEntry.Kind.SPAWN, "web", "8080", "main", 4152);
        clock.set(7_500_000);
        journal.event(JournalEntry.Kind.EVENT_QUEUED, "startup");
        Journal.Snapshot snapshot = journal.snapshot();
        assertEquals(List.of(new JournalEntry(4_000, JournalEntry.Kind.SPAWN, "web", "8080", "main", 4152),
                new JournalEntry(6_500, JournalEntry.Kind.EVENT_QUEUED, "", "", "startup", 0)), snapshot.boot());
        assertFalse(snapshot.bootFull());
        assertEquals(0, snapshot.dropped());
    }

    @Test
    void aSnapshotDoesNotChangeWhenTheJournalGoesOn() {
        // Scenario: a snapshot taken, then more entries recorded.
        Journal journal = new Journal(1, 1, clock::get, 0);
        journal.record(JournalEntry.Kind.DAEMON, "", "", "engine", 0);
        Journal.Snapshot before = journal.snapshot();
        journal.record(JournalEntry.Kind.STATE, "web", "", "starting", 0);
        assertEquals(1, before.boot().size());
        assertEquals(0, before.recent().size());
        assertEquals(1, journal.snapshot().recent().size());
    }
}
