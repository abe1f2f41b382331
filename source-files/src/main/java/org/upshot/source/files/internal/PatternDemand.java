package org.upshot.source.files.internal;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything the loaded jobs want from one {@code FILE=} pattern: the union of the
 * event kinds their matches accept, the jobs that mention it (for log messages), and
 * the jobs whose start condition waits for its creation (those get the startup
 * announcement when first seen).
 */
public final class PatternDemand {

    private final PathPattern pattern;
    private final Set<FileEventKind> kinds = EnumSet.noneOf(FileEventKind.class);
    private final Set<String> jobs = new TreeSet<>();
    private final Set<String> announcedTo = new TreeSet<>();

    PatternDemand(PathPattern pattern) {
        this.pattern = pattern;
    }

    void add(String job, Set<FileEventKind> wanted, boolean startCondition) {
        kinds.addAll(wanted);
        jobs.add(job);
        if (startCondition && wanted.contains(FileEventKind.CREATE)) {
            announcedTo.add(job);
        }
    }

    public PathPattern pattern() {
        return pattern;
    }

    public Set<FileEventKind> kinds() {
        return Collections.unmodifiableSet(kinds);
    }

    /** The jobs mentioning the pattern, sorted. */
    public Set<String> jobs() {
        return Collections.unmodifiableSet(jobs);
    }

    /** The jobs owed a startup announcement when they are first seen. */
    public Set<String> announcedTo() {
        return Collections.unmodifiableSet(announcedTo);
    }

    @Override
    public String toString() {
        return pattern.text() + " " + kinds + " for " + jobs;
    }
}
