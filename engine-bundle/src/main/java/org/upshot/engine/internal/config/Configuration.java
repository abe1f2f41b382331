package org.upshot.engine.internal.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.parse.Diagnostic;

/**
 * A full view of the job configuration.
 *
 * @param jobs every loaded job by name ({@code net/foo}), sorted by name
 * @param diagnostics the problems found by the scan that produced this view
 * @param waiting jobs held back because a plugin stanza's extension is not loaded,
 *     with the keywords they wait for
 */
public record Configuration(Map<String, JobClass> jobs, List<Diagnostic> diagnostics,
        Map<String, Set<String>> waiting) {

    public Configuration {
        jobs = Collections.unmodifiableMap(new TreeMap<>(jobs));
        diagnostics = List.copyOf(diagnostics);
        waiting = Map.copyOf(waiting);
    }

    /** True when some diagnostic is an error (not only a warning). */
    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
