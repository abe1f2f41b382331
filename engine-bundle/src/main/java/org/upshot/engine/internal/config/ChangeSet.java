package org.upshot.engine.internal.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.parse.Diagnostic;

/**
 * What changed in the job configuration since the last change set, to be applied by
 * the engine as one step: replace or add every job in {@code updated}, drop every job
 * named in {@code removed}. As in Upstart, a running instance keeps the definition it
 * started with; the new one applies from its next start, and a removed job's class
 * goes away once its last instance is at rest.
 *
 * @param updated new or changed jobs by name
 * @param removed names of jobs that no longer exist (file deleted, or now held back
 *     because an extension they need went away)
 * @param diagnostics problems found while computing this change; a file that no longer
 *     parses keeps its previous definition and only shows up here
 */
public record ChangeSet(Map<String, JobClass> updated, Set<String> removed, List<Diagnostic> diagnostics) {

    public ChangeSet {
        updated = Map.copyOf(updated);
        removed = Set.copyOf(removed);
        diagnostics = List.copyOf(diagnostics);
    }

    /** True when there is nothing to apply and nothing to report. */
    public boolean isEmpty() {
        return updated.isEmpty() && removed.isEmpty() && diagnostics.isEmpty();
    }

    /** True when the job registry must change. */
    public boolean changesJobs() {
        return !updated.isEmpty() || !removed.isEmpty();
    }
}
