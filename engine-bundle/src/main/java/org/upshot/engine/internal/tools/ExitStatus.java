package org.upshot.engine.internal.tools;

/** The offline tools' exit statuses, as {@code bin/upshot check-config} and {@code show-config} return them. */
public final class ExitStatus {

    /** Success. */
    public static final int OK = 0;
    /** The configuration has errors (check-config), or the job is unknown (show-config). */
    public static final int FAILED = 1;
    /** Bad command-line arguments. */
    public static final int USAGE = 2;

    private ExitStatus() {}
}
