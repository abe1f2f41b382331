package org.upshot.engine.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The lines sources show under jobs, on their own. */
class SourceNotesTest {

    private final SourceNotes notes = new SourceNotes();

    @Test
    void aSourceReplacesItsLinesAndAnEmptyListRemovesThem() {
        // the second describe replaces the first; the other job keeps its lines.
        notes.jobs(Set.of("web", "db"));
        notes.describe("web", "socket", List.of("listening tcp 127.0.0.1:8080"));
        notes.describe("db", "socket", List.of("listening tcp 127.0.0.1:5432"));
        notes.describe("web", "socket", List.of("listening tcp 127.0.0.1:8081", "paused: trigger rate limit"));
        assertEquals(List.of("listening tcp 127.0.0.1:8081", "paused: trigger rate limit"), notes.of("web"));
        notes.describe("web", "socket", List.of());
        assertEquals(List.of(), notes.of("web"));
        assertEquals(List.of("listening tcp 127.0.0.1:5432"), notes.of("db"));
    }

    @Test
    void theEngineLinesComeFirstAndAreReplacedWhole() {
        // needs lines from the definitions, before any source's; a new set replaces the old.
        notes.jobs(Set.of("web"));
        notes.describe("web", "socket", List.of("listening tcp 127.0.0.1:8080"));
        notes.engineLines(Map.of("web", List.of("needs db", "needs cache"), "worker", List.of("needs db")));
        assertEquals(List.of("needs db", "needs cache", "listening tcp 127.0.0.1:8080"), notes.of("web"));
        assertEquals(List.of("needs db"), notes.of("worker"), "a job no source knows still shows its needs");
        notes.engineLines(Map.of());
        assertEquals(List.of("listening tcp 127.0.0.1:8080"), notes.of("web"));
        assertEquals(List.of(), notes.of("worker"));
    }

    @Test
    void sourcesShowInNameOrderEachWithItsLinesInOrder() {
        // described zeta first, alpha second: alpha's lines come first.
        notes.jobs(Set.of("web"));
        notes.describe("web", "zeta", List.of("z1", "z2"));
        notes.describe("web", "alpha", List.of("a1"));
        assertEquals(List.of("a1", "z1", "z2"), notes.of("web"));
    }

    @Test
    void aDroppedSourceTakesOnlyItsOwnLines() {
        // unbound or disabled: its lines go under every job, other sources' stay.
        notes.jobs(Set.of("web", "db"));
        notes.describe("web", "socket", List.of("listening tcp 127.0.0.1:8080"));
        notes.describe("web", "files", List.of("watching /srv/spool"));
        notes.describe("db", "socket", List.of("listening tcp 127.0.0.1:5432"));
        notes.dropSource("socket");
        assertEquals(List.of("watching /srv/spool"), notes.of("web"));
        assertEquals(List.of(), notes.of("db"));
    }

    @Test
    void aRemovedJobLosesItsLinesAndAnUnknownJobTakesNone() {
        // db leaves the configuration, then comes back: it starts with nothing; nosuch never shows.
        notes.jobs(Set.of("web", "db"));
        notes.describe("db", "socket", List.of("listening tcp 127.0.0.1:5432"));
        notes.describe("nosuch", "socket", List.of("listening tcp 127.0.0.1:1"));
        notes.jobs(Set.of("web"));
        assertEquals(List.of(), notes.of("db"));
        notes.describe("db", "socket", List.of("listening tcp 127.0.0.1:5432"));
        notes.jobs(Set.of("web", "db", "nosuch"));
        assertEquals(List.of(), notes.of("db"));
        assertEquals(List.of(), notes.of("nosuch"));
    }
}
