package org.upshot.control;

/**
 * The commands of control protocol version {@value Protocol#VERSION}, by their wire name.
 *
 * <p>Pinned: a wire name is never reused for another meaning. History:
 * <ul>
 * <li>v1 (0.1.0): every command below.</li>
 * <li>v1, package 2.1: {@link #JOURNAL}.</li>
 * <li>v1, package 2.2: {@link #SOURCES}, {@link #REBOOT}, {@link #HALT}, {@link #POWEROFF}.</li>
 * <li>v1, package 2.3: {@link #REEXEC}.</li>
 * </ul>
 */
public enum Command {
    START("start", false),
    STOP("stop", false),
    RESTART("restart", false),
    RELOAD("reload", false),
    STATUS("status", true),
    LIST("list", true),
    EMIT("emit", false),
    RELOAD_CONFIGURATION("reload-configuration", false),
    CHECK_CONFIG("check-config", true),
    SHOW_CONFIG("show-config", true),
    LOG_PRIORITY("log-priority", false),
    VERSION("version", true),
    EVENTS("events", true),
    LOG("log", true),
    SET_ENV("set-env", false),
    GET_ENV("get-env", false),
    UNSET_ENV("unset-env", false),
    LIST_ENV("list-env", false),
    RESET_ENV("reset-env", false),
    /** The engine's journal of state changes, spawns and events (boot-chart, boot-time). */
    JOURNAL("journal", true),
    /** The bound event sources: running or disabled (and why), events taken and dropped. */
    SOURCES("sources", true),
    /**
     * Shut the system down and start it again: the {@code runlevel 6} event, every job
     * stopped, then {@code reboot(2)}; the reply comes once the shutdown has begun.
     */
    REBOOT("reboot", false),
    /** Shut the system down and halt it: as {@link #REBOOT}, with {@code runlevel 0} ({@code INIT_HALT=HALT}). */
    HALT("halt", false),
    /** Shut the system down and power it off: as {@link #HALT}, with {@code INIT_HALT=POWEROFF}. */
    POWEROFF("poweroff", false),
    /**
     * Replace the daemon's program in place, keeping every job, its processes and the
     * listening sockets: once nothing is half-way (every instance waiting or running),
     * the reply comes, then the new program starts; {@code telinit u}.
     */
    REEXEC("reexec", false);

    private final String wireName;
    private final boolean readOnly;

    Command(String wireName, boolean readOnly) {
        this.wireName = wireName;
        this.readOnly = readOnly;
    }

    /** The name on the wire and on {@code initctl}'s command line. */
    public String wireName() {
        return wireName;
    }

    /**
     * Whether users other than root may send the command to a system daemon: it changes
     * nothing and reveals nothing private. {@code log} only names the log file, whose own
     * mode then decides. The job-environment readers ({@code get-env}, {@code list-env})
     * count as privileged since the environment may hold secrets, and {@code log-priority}
     * does because it may set the level.
     */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** The command with this wire name, or {@code null}. */
    public static Command fromWireName(String name) {
        for (Command command : values()) {
            if (command.wireName.equals(name)) {
                return command;
            }
        }
        return null;
    }
}
