package org.upshot.job;

import java.util.Locale;

/** The processes a job may run, in the order {@code initctl status} lists them. */
public enum ProcessKind {
    MAIN,
    PRE_START,
    POST_START,
    PRE_STOP,
    POST_STOP,
    SECURITY;

    /** The dashed word used in events ({@code PROCESS=pre-start}) and status lines. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
