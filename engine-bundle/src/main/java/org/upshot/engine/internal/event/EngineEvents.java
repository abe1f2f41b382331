package org.upshot.engine.internal.event;

import java.util.List;

/**
 * The events the engine itself emits, and {@code runlevel}, which Upshot's own
 * {@code telinit}/{@code shutdown} tools emit (SPEC section 4): the names a job may wait
 * for without any job or plugin declaring them. Plugins' events come from their
 * declarations, never from here.
 */
public final class EngineEvents {

    /** The daemon has started: the first event. */
    public static final String STARTUP = "startup";

    /** A change of runlevel: {@code RUNLEVEL=N PREVLEVEL=M}, from telinit or a shutdown. */
    public static final String RUNLEVEL = "runlevel";

    /** Every name, for {@code check-config}. */
    public static final List<String> NAMES = List.of(STARTUP, "starting", "started", "stopping", "stopped",
            "control-alt-delete", "keyboard-request", "power-status-changed", "child-subreaper-failed", RUNLEVEL);

    private EngineEvents() {}
}
