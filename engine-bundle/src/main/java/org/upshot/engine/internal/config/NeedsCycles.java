package org.upshot.engine.internal.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.model.Need;
import org.upshot.engine.internal.parse.Diagnostic;

/**
 * The whole-configuration check of {@code needs}: jobs whose needs lead back to
 * themselves ({@code a needs b}, {@code b needs a}; or longer; or {@code a needs a})
 * could never start, since each would wait for the other's start. Each such job gets
 * one diagnostic at the {@code needs} stanza that enters its cycle, naming the cycle;
 * the loader then leaves those jobs out. A need of a job that is not loaded is no
 * error here: the job may come later, and until then the start fails (see
 * {@code EventMatching}). Pure; any thread.
 */
final class NeedsCycles {

    private NeedsCycles() {}

    /** One diagnostic per job on a cycle, by job name; empty when there is none. */
    static Map<String, Diagnostic> find(Map<String, JobClass> jobs) {
        Map<String, Diagnostic> out = new TreeMap<>();
        for (JobClass job : jobs.values()) {
            for (Need need : job.needs()) {
                List<String> back = path(jobs, need.job(), job.name());
                if (back != null) {
                    List<String> cycle = new ArrayList<>();
                    cycle.add(job.name());
                    cycle.addAll(back);
                    out.put(job.name(), Diagnostic.of(need.file(), need.line(), need.column(),
                            Diagnostic.Kind.NEEDS_CYCLE, need.job(), String.join(" -> ", cycle)));
                    break;
                }
            }
        }
        return out;
    }

    /** The shortest chain of needs from {@code from} to {@code to}, both included; null if none. */
    private static List<String> path(Map<String, JobClass> jobs, String from, String to) {
        Map<String, String> cameFrom = new HashMap<>();
        Set<String> seen = new HashSet<>(List.of(from));
        Deque<String> queue = new ArrayDeque<>(List.of(from));
        while (!queue.isEmpty()) {
            String name = queue.poll();
            if (name.equals(to)) {
                List<String> chain = new ArrayList<>();
                for (String at = name; at != null; at = cameFrom.get(at)) {
                    chain.add(0, at);
                }
                return chain;
            }
            JobClass job = jobs.get(name);
            if (job == null) {
                continue;
            }
            for (String next : job.neededJobs()) {
                if (seen.add(next)) {
                    cameFrom.put(next, name);
                    queue.add(next);
                }
            }
        }
        return null;
    }
}
