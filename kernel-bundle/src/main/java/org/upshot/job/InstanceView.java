package org.upshot.job;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of one job instance.
 *
 * @param job the job's name
 * @param instance the instance name, empty for a singleton
 * @param goal where it is heading
 * @param state where it is
 * @param processes live processes by kind, in {@link ProcessKind} order
 * @param environment the instance's environment, {@code KEY=VALUE}
 */
public record InstanceView(String job, String instance, JobGoal goal, JobState state,
        Map<ProcessKind, Integer> processes, List<String> environment) {

    public InstanceView {
        processes = Map.copyOf(processes);
        environment = List.copyOf(environment);
    }
}
