package org.upshot.engine.internal.model;

import java.util.Locale;

/** The {@code console} stanza. */
public enum ConsoleMode {
    /** stdin, stdout and stderr on /dev/null. */
    NONE,
    /** All three on /dev/console. */
    OUTPUT,
    /** /dev/console, and the job owns it (gets ^C). */
    OWNER,
    /** stdin on /dev/null, stdout and stderr appended to {@code LOGDIR/JOB.log}. */
    LOG;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
