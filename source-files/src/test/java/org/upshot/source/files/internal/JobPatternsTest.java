package org.upshot.source.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.upshot.event.EventExpression;
import org.upshot.event.EventExpression.Argument;
import org.upshot.job.JobView;

class JobPatternsTest {

    private static final Path HOME = Path.of("/home/alice");

    private static JobView job(String name, EventExpression startOn, EventExpression stopOn,
            Map<String, List<List<String>>> stanzas) {
        return new JobView(name, Path.of("/etc/init/" + name + ".conf"), Optional.empty(), Optional.ofNullable(startOn),
                Optional.ofNullable(stopOn), List.of(), stanzas, List.of());
    }

    private static EventExpression.Match match(String event, Argument... arguments) {
        return new EventExpression.Match(event, List.of(arguments));
    }

    @Test
    void cupsStyleConditionYieldsItsFileMatchOnly() {
        EventExpression startOn = new EventExpression.Or(
                match("file", Argument.equal("FILE", "/var/spool/cups/*"), Argument.equal("EVENT", "create")),
                new EventExpression.And(match("startup"), match("idle")));
        Map<String, PatternDemand> demands = JobPatterns.collect(List.of(job("cups", startOn, null, Map.of())), HOME);

        assertEquals(Set.of("/var/spool/cups/*"), demands.keySet());
        PatternDemand demand = demands.get("/var/spool/cups/*");
        assertEquals(EnumSet.of(FileEventKind.CREATE), demand.kinds());
        assertEquals(Set.of("cups"), demand.announcedTo());
    }

    @Test
    void positionalArgumentsAreFileThenEvent() {
        JobView job = job("p", match("file", Argument.positional("/run/x"), Argument.positional("del*")), null, Map.of());
        assertEquals(EnumSet.of(FileEventKind.DELETE), JobPatterns.collect(List.of(job), HOME).get("/run/x").kinds());
    }

    @Test
    void negatedEventLeavesTheOtherKinds() {
        JobView job = job("n", match("file", Argument.equal("FILE", "/run/x"), Argument.notEqual("EVENT", "delete")),
                null, Map.of());
        PatternDemand demand = JobPatterns.collect(List.of(job), HOME).get("/run/x");
        assertEquals(EnumSet.of(FileEventKind.CREATE, FileEventKind.MODIFY), demand.kinds());
    }

    @Test
    void stopOnIsWatchedWithoutAnnouncement() {
        JobView job = job("s", null, match("file", Argument.equal("FILE", "/run/x")), Map.of());
        PatternDemand demand = JobPatterns.collect(List.of(job), HOME).get("/run/x");
        assertEquals(EnumSet.allOf(FileEventKind.class), demand.kinds());
        assertTrue(demand.announcedTo().isEmpty());
    }

    @Test
    void unwatchableMatchesAreSkippedAndTheRestKept() {
        JobView job = job("mixed", new EventExpression.Or(
                new EventExpression.Or(match("file", Argument.equal("FILE", "$QUEUE/*")),
                        match("file", Argument.equal("EVENT", "create"))),
                new EventExpression.Or(match("file", Argument.equal("FILE", "relative")),
                        match("file", Argument.equal("FILE", "/ok/")))), null, Map.of());
        assertEquals(Set.of("/ok/"), JobPatterns.collect(List.of(job), HOME).keySet());
    }

    @Test
    void watchStanzasAndMatchesOfSeveralJobsMerge() {
        JobView stanza = job("a", null, null, Map.of("watch", List.of(List.of("/q", "nonempty"))));
        JobView line = job("b", match("file", Argument.equal("FILE", "/q/"), Argument.equal("EVENT", "delete")), null,
                Map.of());
        PatternDemand demand = JobPatterns.collect(List.of(stanza, line), HOME).get("/q/");
        assertEquals(EnumSet.of(FileEventKind.CREATE, FileEventKind.DELETE), demand.kinds());
        assertEquals(Set.of("a", "b"), demand.jobs());
        assertEquals(Set.of("a"), demand.announcedTo());
    }
}
