package org.upshot.testkit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One job instance as the control protocol's {@code status} reply shows it
 * (docs/control-protocol.md, "Objects").
 *
 * @param job the job's name
 * @param instance the instance name, {@code ""} for a singleton
 * @param goal {@code start}, {@code stop} or {@code respawn}
 * @param state {@code waiting}, {@code starting} ... {@code running} ... {@code post-stop}
 * @param processes live processes by kind ({@code main}, {@code pre-start}...), in the
 *     protocol's order
 */
public record InstanceStatus(String job, String instance, String goal, String state, Map<String, Long> processes) {

    public InstanceStatus {
        processes = Collections.unmodifiableMap(new LinkedHashMap<>(processes));
    }

    /** {@code goal/state}, as {@code initctl status} prints it: {@code start/running}. */
    public String goalAndState() {
        return goal + "/" + state;
    }

    /** The main process's pid, if it has one. */
    public OptionalLong mainPid() {
        Long pid = processes.get("main");
        return pid == null ? OptionalLong.empty() : OptionalLong.of(pid);
    }

    /** Reads one instance object of a reply. */
    static InstanceStatus of(Map<?, ?> json) {
        Map<String, Long> processes = new LinkedHashMap<>();
        for (Object process : (List<?>) json.get("processes")) {
            Map<?, ?> entry = (Map<?, ?>) process;
            processes.put((String) entry.get("process"), (Long) entry.get("pid"));
        }
        return new InstanceStatus((String) json.get("job"), (String) json.get("instance"), (String) json.get("goal"),
                (String) json.get("state"), processes);
    }
}
