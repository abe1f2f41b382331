package org.upshot.daemon;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.upshot.control.Protocol;

/**
 * The daemon's settings: mode, directories, the default console, debug logging, and the
 * control server's limits. This record is their one owner: the launcher builds it from
 * {@code bin/upshot}'s flags and hands it to the framework as properties
 * ({@link #toProperties()}); every component reads it back with
 * {@link #fromProperties}; {@code initctl} takes its default socket from
 * {@link #defaultRuntimeDir}. Each setting has one default, listed in the README:
 *
 * <table>
 *   <caption>defaults</caption>
 *   <tr><th>setting</th><th>system</th><th>session</th></tr>
 *   <tr><td>confdir</td><td>{@code /etc/init}</td><td>{@code $XDG_CONFIG_HOME/upshot}, else {@code ~/.config/upshot}</td></tr>
 *   <tr><td>plugin dir</td><td colspan="2">{@code DISTRO/plugins}</td></tr>
 *   <tr><td>runtime dir</td><td>{@code /run/upshot}</td><td>{@code $XDG_RUNTIME_DIR/upshot}, else {@code /tmp/upshot-$UID}</td></tr>
 *   <tr><td>log dir</td><td>{@code /var/log/upshot}</td><td>{@code $XDG_CACHE_HOME/upshot/log}, else {@code ~/.cache/upshot/log}</td></tr>
 *   <tr><td>state dir</td><td>{@code /var/lib/upshot}</td><td>{@code $XDG_STATE_HOME/upshot}, else {@code ~/.local/state/upshot}</td></tr>
 *   <tr><td>mode</td><td colspan="2">system as PID 1 or root, else session</td></tr>
 * </table>
 *
 * @param mode system (PID 1 or root) or session (an ordinary user's supervisor)
 * @param confDirs job-file directories, earlier ones win
 * @param pluginDir the watched directory of plugin bundles
 * @param runtimeDir the control socket, Felix's bundle cache and sources' sockets
 * @param logDir job output for {@code console log}
 * @param stateDir what must outlive the daemon (timer stamps)
 * @param defaultConsole the console of jobs without a {@code console} stanza
 * @param debug log every event and state change
 * @param pid1 the daemon is the init of a machine or PID namespace
 * @param controlLimits what one control client may hold
 * @param sourceCallTimeout how long one call into an event source may take before the
 *     source is declared hung and disabled
 */
public record DaemonSettings(Mode mode, List<Path> confDirs, Path pluginDir, Path runtimeDir, Path logDir,
        Path stateDir, DefaultConsole defaultConsole, boolean debug, boolean pid1, ControlLimits controlLimits,
        Duration sourceCallTimeout) {

    /** Framework property keys, one per setting. */
    public static final String MODE = "upshot.mode";
    public static final String CONFDIRS = "upshot.confdirs";
    public static final String PLUGIN_DIR = "upshot.plugin.dir";
    public static final String RUNTIME_DIR = "upshot.runtime.dir";
    public static final String LOG_DIR = "upshot.log.dir";
    public static final String STATE_DIR = "upshot.state.dir";
    public static final String DEFAULT_CONSOLE = "upshot.default.console";
    public static final String DEBUG = "upshot.debug";
    public static final String PID1 = "upshot.pid1";
    public static final String MAX_CONNECTIONS = "upshot.control.max.connections";
    public static final String MAX_PENDING = "upshot.control.max.pending";
    public static final String MAX_OUTBOUND_BYTES = "upshot.control.max.outbound.bytes";
    public static final String IDLE_TIMEOUT_MILLIS = "upshot.control.idle.timeout.millis";
    public static final String SOURCE_CALL_TIMEOUT_MILLIS = "upshot.source.call.timeout.millis";
    /**
     * How many events one source may emit, {@code RATE/BURST} (events a second / at once);
     * read by the engine. Since 1.1.
     */
    public static final String SOURCE_EVENT_LIMIT = "upshot.source.event.limit";
    /**
     * How long a shutdown ({@code initctl reboot|halt|poweroff}, SIGTERM) may take, in
     * milliseconds, before the daemon goes on without the jobs still up; default 90,000.
     */
    public static final String SHUTDOWN_TIMEOUT_MILLIS = "upshot.shutdown.timeout.millis";
    /**
     * System property the engine sets before it stops the framework at the end of a
     * shutdown: {@code reboot}, {@code halt} or {@code poweroff}, what the launcher then
     * asks of the kernel ({@code reboot(2)}) as an init; unset, the daemon just exits.
     */
    public static final String EXIT_ACTION = "upshot.exit.action";
    /**
     * System property of a daemon that {@code initctl reexec} started in place of the one
     * before it: the file holding the state that one handed over (see the engine's
     * {@code docs/reexec.md}). Unset for a daemon started afresh.
     */
    public static final String REEXEC_STATE = "upshot.reexec.state";
    /**
     * System property of a re-executed daemon: the descriptors it inherited, as
     * {@code NAME=FD} pairs separated by commas, names URL-encoded.
     */
    public static final String REEXEC_DESCRIPTORS = "upshot.reexec.descriptors";
    /** The default of {@link #sourceCallTimeout()}. */
    public static final Duration DEFAULT_SOURCE_CALL_TIMEOUT = Duration.ofSeconds(10);
    /** The unpacked distribution ({@code bin/}, {@code plugins/}...): a system property of the launcher. */
    public static final String HOME = "upshot.home";

    public DaemonSettings {
        Objects.requireNonNull(mode, "mode");
        confDirs = List.copyOf(confDirs);
        Objects.requireNonNull(pluginDir, "pluginDir");
        Objects.requireNonNull(runtimeDir, "runtimeDir");
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(defaultConsole, "defaultConsole");
        Objects.requireNonNull(controlLimits, "controlLimits");
        Objects.requireNonNull(sourceCallTimeout, "sourceCallTimeout");
    }

    /** How the daemon runs. */
    public enum Mode {
        SYSTEM, SESSION;

        /** {@code system} or {@code session}: the property value and the flag's word. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mode a daemon gets when none is asked for: system as PID 1 or root. */
        public static Mode defaultFor(Facts facts) {
            return facts.pid() == 1 || facts.uid() == 0 ? SYSTEM : SESSION;
        }
    }

    /** The console of jobs that name none: Upstart 1.4's {@code log}, or {@code none}. */
    public enum DefaultConsole {
        LOG, NONE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The control server's limits; the defaults suit a daemon, tests shrink them.
     *
     * @param maxConnections connections served at once; more are told BUSY and closed
     * @param maxPendingPerConnection request lines waiting on one connection before the
     *     server stops reading from it
     * @param maxOutboundBytes unread output (events) after which a client is dropped
     * @param idleTimeoutMillis how long a connection with nothing in progress may stay silent
     */
    public record ControlLimits(int maxConnections, int maxPendingPerConnection, long maxOutboundBytes,
            long idleTimeoutMillis) {
        /** 4,096 clients, 64 requests each, 1 MiB of unread replies, 10 s. */
        public static final ControlLimits DEFAULT = new ControlLimits(4096, 64, 1 << 20, 10_000);
    }

    /**
     * Facts about the process the defaults depend on.
     *
     * @param pid the daemon's pid
     * @param uid its effective uid
     * @param env its environment ({@code XDG_*})
     * @param home the user's home directory
     */
    public record Facts(long pid, int uid, Map<String, String> env, Path home) {
        public Facts {
            env = Map.copyOf(env);
            Objects.requireNonNull(home, "home");
        }

        /** This process's facts. */
        public static Facts current() {
            try {
                int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
                return new Facts(ProcessHandle.current().pid(), uid, System.getenv(),
                        Path.of(System.getProperty("user.home")));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read this process's uid from /proc/self", e);
            }
        }
    }

    /** A builder holding the defaults for {@code mode}. */
    public static Builder builder(Mode mode, Facts facts, Path distroHome) {
        return new Builder(mode, facts, distroHome);
    }

    /**
     * The settings the framework properties describe; a missing property takes its
     * default (a missing mode: {@link Mode#defaultFor}).
     *
     * @param property reads one property, null when unset
     * @throws IllegalArgumentException for a malformed value
     */
    public static DaemonSettings fromProperties(Function<String, String> property, Facts facts) {
        String modeText = blankToNull(property.apply(MODE));
        Mode mode = modeText == null ? Mode.defaultFor(facts) : Mode.valueOf(modeText.toUpperCase(Locale.ROOT));
        String home = blankToNull(property.apply(HOME));
        Builder builder = builder(mode, facts, Path.of(home == null ? System.getProperty(HOME, ".") : home));
        String confdirs = blankToNull(property.apply(CONFDIRS));
        if (confdirs != null) {
            List<Path> dirs = new ArrayList<>();
            for (String dir : confdirs.split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    dirs.add(Path.of(dir));
                }
            }
            builder.confDirs(dirs);
        }
        path(property, PLUGIN_DIR, builder::pluginDir);
        path(property, RUNTIME_DIR, builder::runtimeDir);
        path(property, LOG_DIR, builder::logDir);
        path(property, STATE_DIR, builder::stateDir);
        String console = blankToNull(property.apply(DEFAULT_CONSOLE));
        if (console != null) {
            builder.defaultConsole(DefaultConsole.valueOf(console.toUpperCase(Locale.ROOT)));
        }
        builder.debug(Boolean.parseBoolean(property.apply(DEBUG)));
        builder.pid1(Boolean.parseBoolean(property.apply(PID1)) || facts.pid() == 1);
        builder.tunables(property);
        return builder.build();
    }

    /** These settings as framework properties, read back by {@link #fromProperties}. */
    public Map<String, String> toProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(MODE, mode.label());
        List<String> dirs = new ArrayList<>();
        for (Path dir : confDirs) {
            dirs.add(dir.toString());
        }
        properties.put(CONFDIRS, String.join(File.pathSeparator, dirs));
        properties.put(PLUGIN_DIR, pluginDir.toString());
        properties.put(RUNTIME_DIR, runtimeDir.toString());
        properties.put(LOG_DIR, logDir.toString());
        properties.put(STATE_DIR, stateDir.toString());
        properties.put(DEFAULT_CONSOLE, defaultConsole.label());
        properties.put(DEBUG, Boolean.toString(debug));
        properties.put(PID1, Boolean.toString(pid1));
        properties.put(MAX_CONNECTIONS, Integer.toString(controlLimits.maxConnections()));
        properties.put(MAX_PENDING, Integer.toString(controlLimits.maxPendingPerConnection()));
        properties.put(MAX_OUTBOUND_BYTES, Long.toString(controlLimits.maxOutboundBytes()));
        properties.put(IDLE_TIMEOUT_MILLIS, Long.toString(controlLimits.idleTimeoutMillis()));
        properties.put(SOURCE_CALL_TIMEOUT_MILLIS, Long.toString(sourceCallTimeout.toMillis()));
        return properties;
    }

    /** The control socket's path. */
    public Path controlSocket() {
        return runtimeDir.resolve(Protocol.SOCKET_NAME);
    }

    /**
     * The default runtime directory: {@code /run/upshot} for a system daemon;
     * {@code $XDG_RUNTIME_DIR/upshot} for a session, else {@code /tmp/upshot-$UID}.
     * Written without lambdas: {@code initctl} calls it on its lean start-up path.
     */
    public static Path defaultRuntimeDir(Mode mode, int uid, Map<String, String> env) {
        if (mode == Mode.SYSTEM) {
            return Path.of("/run/upshot");
        }
        String xdgRuntime = env.get("XDG_RUNTIME_DIR");
        if (xdgRuntime != null && xdgRuntime.startsWith("/")) {
            return Path.of(xdgRuntime, "upshot");
        }
        return Path.of("/tmp", "upshot-" + uid);
    }

    /** Builds {@link DaemonSettings}, starting from the defaults of a mode; not thread-safe. */
    public static final class Builder {
        private final Mode mode;
        private List<Path> confDirs;
        private Path pluginDir;
        private Path runtimeDir;
        private Path logDir;
        private Path stateDir;
        private DefaultConsole defaultConsole = DefaultConsole.LOG;
        private boolean debug;
        private boolean pid1;
        private ControlLimits controlLimits = ControlLimits.DEFAULT;
        private Duration sourceCallTimeout = DEFAULT_SOURCE_CALL_TIMEOUT;

        private Builder(Mode mode, Facts facts, Path distroHome) {
            this.mode = mode;
            boolean system = mode == Mode.SYSTEM;
            confDirs = List.of(system ? Path.of("/etc/init") : xdg(facts, "XDG_CONFIG_HOME", ".config").resolve("upshot"));
            pluginDir = distroHome.resolve("plugins");
            runtimeDir = defaultRuntimeDir(mode, facts.uid(), facts.env());
            logDir = system ? Path.of("/var/log/upshot")
                    : xdg(facts, "XDG_CACHE_HOME", ".cache").resolve("upshot").resolve("log");
            stateDir = system ? Path.of("/var/lib/upshot")
                    : xdg(facts, "XDG_STATE_HOME", ".local/state").resolve("upshot");
            pid1 = facts.pid() == 1;
        }

        public Builder confDirs(List<Path> dirs) {
            confDirs = List.copyOf(dirs);
            return this;
        }

        public Builder pluginDir(Path dir) {
            pluginDir = dir;
            return this;
        }

        public Builder runtimeDir(Path dir) {
            runtimeDir = dir;
            return this;
        }

        public Builder logDir(Path dir) {
            logDir = dir;
            return this;
        }

        public Builder stateDir(Path dir) {
            stateDir = dir;
            return this;
        }

        public Builder defaultConsole(DefaultConsole console) {
            defaultConsole = console;
            return this;
        }

        public Builder debug(boolean on) {
            debug = on;
            return this;
        }

        public Builder pid1(boolean on) {
            pid1 = on;
            return this;
        }

        public Builder controlLimits(ControlLimits limits) {
            controlLimits = limits;
            return this;
        }

        public Builder sourceCallTimeout(Duration timeout) {
            sourceCallTimeout = timeout;
            return this;
        }

        /**
         * Takes the limits and time-outs that have no flag of their own from
         * {@code property} (null when unset: the current value stays); the launcher passes
         * its system properties, so {@code -Dupshot.control.max.connections=...} works.
         *
         * @throws IllegalArgumentException for a value that is not a number
         */
        public Builder tunables(Function<String, String> property) {
            controlLimits = new ControlLimits(
                    (int) number(property, MAX_CONNECTIONS, controlLimits.maxConnections()),
                    (int) number(property, MAX_PENDING, controlLimits.maxPendingPerConnection()),
                    number(property, MAX_OUTBOUND_BYTES, controlLimits.maxOutboundBytes()),
                    number(property, IDLE_TIMEOUT_MILLIS, controlLimits.idleTimeoutMillis()));
            sourceCallTimeout = Duration.ofMillis(
                    number(property, SOURCE_CALL_TIMEOUT_MILLIS, sourceCallTimeout.toMillis()));
            return this;
        }

        public DaemonSettings build() {
            return new DaemonSettings(mode, confDirs, pluginDir, runtimeDir, logDir, stateDir, defaultConsole,
                    debug, pid1, controlLimits, sourceCallTimeout);
        }
    }

    /** An XDG base directory: the variable if it holds an absolute path, else {@code ~/fallback}. */
    private static Path xdg(Facts facts, String variable, String fallback) {
        String value = facts.env().get(variable);
        return value != null && value.startsWith("/") ? Path.of(value) : facts.home().resolve(fallback);
    }

    private static void path(Function<String, String> property, String key, Function<Path, Builder> setter) {
        String value = blankToNull(property.apply(key));
        if (value != null) {
            setter.apply(Path.of(value));
        }
    }

    private static long number(Function<String, String> property, String key, long fallback) {
        String value = blankToNull(property.apply(key));
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, not '" + value + "'", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
