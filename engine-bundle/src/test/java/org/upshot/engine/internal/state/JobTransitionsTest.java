package org.upshot.engine.internal.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.upshot.job.JobGoal;
import org.upshot.job.JobState;

class JobTransitionsTest {

    private static final String INVALID = "invalid";

    @ParameterizedTest(name = "{0} + goal {1} -> {2}")
    @MethodSource("everyPair")
    void everyStateAndGoalPairFollowsTheGoldenTable(JobState state, JobGoal goal, String expected) {
        if (expected.equals(INVALID)) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> JobTransitions.next(state, goal));
            assertTrue(thrown.getMessage().contains(state.label()), thrown.getMessage());
            assertTrue(thrown.getMessage().contains(goal.label()), thrown.getMessage());
        } else {
            assertEquals(JobState.fromLabel(expected), JobTransitions.next(state, goal));
        }
    }

    /** Every pair of the enums, so a new state or goal without a golden row fails here. */
    static Stream<Arguments> everyPair() throws IOException {
        Map<String, String> golden = golden();
        List<Arguments> pairs = new ArrayList<>();
        for (JobState state : JobState.values()) {
            for (JobGoal goal : JobGoal.values()) {
                String key = state.label() + "\t" + goal.label();
                String expected = golden.get(key);
                if (expected == null) {
                    throw new IllegalStateException("transitions.tsv has no row for " + key);
                }
                pairs.add(Arguments.of(state, goal, expected));
            }
        }
        assertEquals(pairs.size(), golden.size(), "transitions.tsv has rows for unknown states or goals");
        return pairs.stream();
    }

    private static Map<String, String> golden() throws IOException {
        Map<String, String> rows = new HashMap<>();
        try (InputStream in = JobTransitionsTest.class.getResourceAsStream("/state/transitions.tsv");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t");
                assertEquals(3, fields.length, "bad golden row: " + line);
                rows.put(fields[0] + "\t" + fields[1], fields[2]);
            }
        }
        return rows;
    }

    @Test
    void respawnGoalTurnsBackToStartOnceTheInstanceLeaves() {
        assertEquals(JobGoal.START, JobTransitions.goalAfter(JobState.POST_START, JobGoal.RESPAWN));
        assertEquals(JobGoal.START, JobTransitions.goalAfter(JobState.PRE_STOP, JobGoal.RESPAWN));
        assertEquals(JobGoal.STOP, JobTransitions.goalAfter(JobState.RUNNING, JobGoal.STOP));
    }

    @Test
    void goalAfterRefusesAnInvalidPairToo() {
        assertThrows(IllegalStateException.class, () -> JobTransitions.goalAfter(JobState.WAITING, JobGoal.STOP));
    }

    @Test
    void stopRequestedOnTheWayUpAlwaysTurnsToStoppingSoPostStopRuns() {
        Set<JobState> upward = EnumSet.range(JobState.STARTING, JobState.POST_START);
        for (JobState state : upward) {
            assertEquals(JobState.STOPPING, JobTransitions.next(state, JobGoal.STOP), state.label());
        }
    }

    @Test
    void aFullStartThenStopWalkReturnsToWaiting() {
        JobState state = JobState.WAITING;
        List<JobState> walk = new ArrayList<>(List.of(state));
        while (state != JobState.RUNNING) {
            state = JobTransitions.next(state, JobGoal.START);
            walk.add(state);
        }
        while (state != JobState.WAITING) {
            state = JobTransitions.next(state, JobGoal.STOP);
            walk.add(state);
        }
        assertEquals(List.of(JobState.values()).subList(0, 7), walk.subList(0, 7));
        assertEquals(List.of(JobState.RUNNING, JobState.PRE_STOP, JobState.STOPPING, JobState.KILLED,
                JobState.POST_STOP, JobState.WAITING), walk.subList(6, walk.size()));
    }
}
