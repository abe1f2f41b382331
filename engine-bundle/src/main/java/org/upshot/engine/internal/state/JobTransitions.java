package org.upshot.engine.internal.state;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.upshot.job.JobGoal;
import org.upshot.job.JobState;

/**
 * The job state machine's transition function: where an instance goes next from a
 * state, given its goal. Pure and total over the valid pairs; see the package essay
 * for the table and for what the entry actions must do.
 */
public final class JobTransitions {

    private JobTransitions() {
    }

    /**
     * The state after {@code state} when the instance is heading for {@code goal}.
     *
     * <p>A {@link JobGoal#RESPAWN} goal leaves {@code spawned}, {@code post-start},
     * {@code running} and {@code pre-stop} for {@code stopping}; the caller then sets the
     * goal to {@link JobGoal#START} ({@link #goalAfter}), so the instance comes back up.
     *
     * @throws IllegalStateException for a pair that cannot happen (for instance
     *     {@code waiting} with goal {@code stop}: a stopped instance has nowhere to go);
     *     the message names the state and the goal, the caller adds the job
     */
    public static JobState next(JobState state, JobGoal goal) {
        return switch (state) {
            case WAITING -> switch (goal) {
                case START -> JobState.STARTING;
                case STOP, RESPAWN -> throw invalid(state, goal);
            };
            case STARTING -> onTheWayUp(state, goal, JobState.SECURITY);
            case SECURITY -> onTheWayUp(state, goal, JobState.PRE_START);
            case PRE_START -> onTheWayUp(state, goal, JobState.SPAWNED);
            case SPAWNED -> switch (goal) {
                case START -> JobState.POST_START;
                // Stopped, or the main process ended before it was ready and respawns.
                case STOP, RESPAWN -> JobState.STOPPING;
            };
            case POST_START -> switch (goal) {
                case START -> JobState.RUNNING;
                case STOP, RESPAWN -> JobState.STOPPING;
            };
            case RUNNING -> switch (goal) {
                // Entering pre-stop settles straight on to stopping when no main
                // process is alive or no pre-stop is defined (pre-stop is only for a
                // requested stop of a live main process).
                case STOP -> JobState.PRE_STOP;
                // Start goal in running: the main process ended and is to be respawned.
                case START, RESPAWN -> JobState.STOPPING;
            };
            case PRE_STOP -> switch (goal) {
                // pre-stop ran `start`: the stop is cancelled.
                case START -> JobState.RUNNING;
                case STOP, RESPAWN -> JobState.STOPPING;
            };
            case STOPPING -> switch (goal) {
                case STOP, START -> JobState.KILLED;
                case RESPAWN -> throw invalid(state, goal);
            };
            case KILLED -> switch (goal) {
                case STOP, START -> JobState.POST_STOP;
                case RESPAWN -> throw invalid(state, goal);
            };
            case POST_STOP -> switch (goal) {
                case STOP -> JobState.WAITING;
                case START -> JobState.STARTING;
                case RESPAWN -> throw invalid(state, goal);
            };
        };
    }

    /**
     * The goal once the instance has left {@code state} by {@link #next}: a respawn
     * goal turns back into {@link JobGoal#START}; any other goal is unchanged.
     */
    public static JobGoal goalAfter(JobState state, JobGoal goal) {
        next(state, goal);
        return goal == JobGoal.RESPAWN ? JobGoal.START : goal;
    }

    /**
     * The states the table can leave for {@code state}, under any goal: what an entry
     * action may check its predecessor against.
     */
    public static Set<JobState> predecessors(JobState state) {
        return PREDECESSORS.get(state);
    }

    private static final Map<JobState, Set<JobState>> PREDECESSORS = predecessorTable();

    private static Map<JobState, Set<JobState>> predecessorTable() {
        Map<JobState, Set<JobState>> table = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            table.put(state, EnumSet.noneOf(JobState.class));
        }
        for (JobState from : JobState.values()) {
            for (JobGoal goal : JobGoal.values()) {
                try {
                    table.get(next(from, goal)).add(from);
                } catch (IllegalStateException invalidPair) {
                    // no transition for this pair
                }
            }
        }
        table.replaceAll((state, from) -> Collections.unmodifiableSet(from));
        return table;
    }

    /** The states between starting and post-start: on, or to stopping when stopped. */
    private static JobState onTheWayUp(JobState state, JobGoal goal, JobState onward) {
        return switch (goal) {
            case START -> onward;
            // Nothing is killed at once: the step in progress finishes, then the
            // instance turns to stopping, so main never runs and post-stop still does.
            case STOP -> JobState.STOPPING;
            case RESPAWN -> throw invalid(state, goal);
        };
    }

    private static IllegalStateException invalid(JobState state, JobGoal goal) {
        return new IllegalStateException("no transition from state " + state.label() + " with goal "
                + goal.label() + " (can't happen)");
    }
}
