package org.upshot.engine.internal.model;

import java.util.Locale;

/** The {@code expect} stanza: how the engine knows the main process is ready. */
public enum Expect {
    /** Ready once spawned. */
    NONE,
    /** Ready when the process raises SIGSTOP; the engine then sends SIGCONT. */
    STOP,
    /** The process forks once; the child is the one to supervise. */
    FORK,
    /** The process forks twice (a classic daemon); the grandchild is supervised. */
    DAEMON;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
