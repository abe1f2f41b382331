package org.upshot.engine.internal.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One {@code needs JOB} stanza: the job that must be running before this one starts,
 * and where the stanza was, for the load-time cycle check's diagnostics.
 *
 * @param job the needed job's name
 * @param file the file holding the stanza (the {@code .conf} or its {@code .override})
 * @param line 1-based line of the {@code needs} keyword
 * @param column 1-based column of the {@code needs} keyword
 */
public record Need(String job, Path file, int line, int column) {
    public Need {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(file, "the file of the needs stanza"); // not "file": a plugin event name
    }
}
