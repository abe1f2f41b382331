package org.upshot.source.timer.internal;

import java.util.Objects;

/**
 * Names one timer: the job it belongs to and its schedule, the {@code JOB} and
 * {@code SCHEDULE} of its events. A job's stanza and a condition naming the same pair
 * are the same timer.
 */
record TimerKey(String job, Schedule schedule) {

    TimerKey {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(schedule, "schedule");
    }

    @Override
    public String toString() {
        return job + ": " + schedule.text();
    }
}
