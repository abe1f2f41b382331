package org.upshot.job;

import java.util.Locale;

/** Where a job instance is heading. */
public enum JobGoal {
    STOP,
    START,
    /** Briefly, while a respawn waits for a post-start or pre-stop helper to finish. */
    RESPAWN;

    /** The word {@code initctl status} prints: {@code start}, {@code stop}, {@code respawn}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
