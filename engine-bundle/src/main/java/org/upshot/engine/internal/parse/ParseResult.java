package org.upshot.engine.internal.parse;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.upshot.engine.internal.model.JobClass;

/**
 * What parsing one job file gave.
 *
 * @param job the job, present only when the file parsed with no error and every
 *     extension stanza it uses was parsed by a loaded extension
 * @param diagnostics every problem found, errors and warnings, in file order
 * @param missingExtensions keywords of plugin stanzas whose extension is not loaded;
 *     the job loads once all of them are available
 */
public record ParseResult(Optional<JobClass> job, List<Diagnostic> diagnostics, Set<String> missingExtensions) {

    public ParseResult {
        diagnostics = List.copyOf(diagnostics);
        missingExtensions = Set.copyOf(missingExtensions);
    }

    /** True when the job loaded. */
    public boolean loaded() {
        return job.isPresent();
    }

    /** True when the only problem is extensions that are not loaded yet. */
    public boolean waitingForExtensions() {
        return job.isEmpty() && !missingExtensions.isEmpty()
                && diagnostics.stream().allMatch(d -> !d.isError() || d.kind() == Diagnostic.Kind.EXTENSION_NOT_LOADED);
    }
}
