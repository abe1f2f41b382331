package org.upshot.job;

import java.util.Locale;

/** Where a job instance is in its lifecycle, in Upstart's order. */
public enum JobState {
    WAITING,
    STARTING,
    SECURITY,
    PRE_START,
    SPAWNED,
    POST_START,
    RUNNING,
    PRE_STOP,
    STOPPING,
    KILLED,
    POST_STOP;

    /** The dashed word {@code initctl status} prints, e.g. {@code pre-start}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The state named by {@link #label()}. */
    public static JobState fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** At rest: nothing is moving until a goal change or event arrives. */
    public boolean isRest() {
        return this == WAITING || this == RUNNING;
    }
}
