package org.upshot.engine.internal.job;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The lines event sources show under jobs ({@link org.upshot.spi.source.SourceContext#describe}):
 * job → source name → lines. Only jobs the sources have been told about take notes, and a
 * job's notes go when it leaves that set, so a job added again later starts with none.
 * The engine's own lines about a definition ({@code needs B}) come first, replaced
 * whole whenever the definitions change.
 * Thread-safe: sources write from their own threads, the engine thread sets the jobs, and
 * the control server reads.
 */
final class SourceNotes {

    private final Map<String, SortedMap<String, List<String>>> byJob = new HashMap<>();
    private Set<String> jobs = Set.of();
    private Map<String, List<String>> engineLines = Map.of();

    /** Replaces the engine's own lines, by job; engine thread. */
    synchronized void engineLines(Map<String, List<String>> byJob) {
        engineLines = Map.copyOf(byJob);
    }

    /** Replaces what {@code source} shows under {@code job}; empty {@code lines} remove it. */
    synchronized void describe(String job, String source, List<String> lines) {
        if (!jobs.contains(job)) {
            return;
        }
        if (lines.isEmpty()) {
            SortedMap<String, List<String>> sources = byJob.get(job);
            if (sources != null && sources.remove(source) != null && sources.isEmpty()) {
                byJob.remove(job);
            }
        } else {
            byJob.computeIfAbsent(job, j -> new TreeMap<>()).put(source, List.copyOf(lines));
        }
    }

    /** The jobs the sources now know of: notes on any other are dropped, and refused from now on. */
    synchronized void jobs(Set<String> known) {
        jobs = Set.copyOf(known);
        byJob.keySet().retainAll(jobs);
    }

    /** Drops everything {@code source} shows: it was unbound or disabled. */
    synchronized void dropSource(String source) {
        byJob.values().removeIf(sources -> sources.remove(source) != null && sources.isEmpty());
    }

    /** What shows under {@code job}: the engine's lines, then each source's lines, sources in name order. */
    synchronized List<String> of(String job) {
        List<String> lines = new ArrayList<>(engineLines.getOrDefault(job, List.of()));
        SortedMap<String, List<String>> sources = byJob.get(job);
        if (sources != null) {
            sources.values().forEach(lines::addAll);
        }
        return lines;
    }
}
