package org.upshot.launcher;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The daemon's settings, from {@code bin/upshot}'s flags with defaults that depend on
 * the mode (system or session), on the user and on the environment.
 *
 * @param mode           system (PID 1 or root) or session (an ordinary user's supervisor)
 * @param confDirs       job-file directories, earlier ones win
 * @param pluginDir      watched directory of plugin bundles
 * @param runtimeDir     control socket and Felix's bundle cache live here
 * @param logDir         job output for {@code console log}
 * @param debug          show every event and state change (level DEBUG)
 * @param defaultConsole {@code log} or {@code none}
 * @param pid1           true when the daemon is the init of a machine or PID namespace
 */
public record LauncherOptions(
        Mode mode,
        List<Path> confDirs,
        Path pluginDir,
        Path runtimeDir,
        Path logDir,
        boolean debug,
        String defaultConsole,
        boolean pid1) {

    /** How the daemon runs. */
    public enum Mode {
        SYSTEM, SESSION;

        /** The value of the {@code upshot.mode} framework property. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What {@link #parse} answers: run the daemon, or print something and exit. */
    public sealed interface Command permits Run, PrintHelp, PrintVersion {}

    /** Run the daemon with these options. */
    public record Run(LauncherOptions options) implements Command {}

    /** {@code --help}. */
    public record PrintHelp() implements Command {}

    /** {@code --version}. */
    public record PrintVersion() implements Command {}

    /**
     * Facts about the process the defaults depend on.
     *
     * @param pid        our pid
     * @param uid        our effective uid
     * @param env        the environment
     * @param home       the user's home directory
     * @param distroHome the unpacked distribution ({@code bin/}, {@code plugins/}...)
     */
    public record Context(long pid, int uid, Map<String, String> env, Path home, Path distroHome) {}

    static final String USAGE = """
            Usage: upshot [OPTION]...
                   upshot check-config|show-config [ARG]...
            Event-based init daemon and service supervisor.

              --system               run as the system's init (default as PID 1 or root)
              --session              run as a user's supervisor (default otherwise)
              --confdir DIR          read job files from DIR (repeatable; earlier wins)
              --plugin-dir DIR       watch DIR for plugin bundles (default: DISTRO/plugins)
              --runtime-dir DIR      control socket and bundle cache (system: /run/upshot,
                                     session: $XDG_RUNTIME_DIR/upshot or /tmp/upshot-UID)
              --log-dir DIR          job output logs (system: /var/log/upshot,
                                     session: $XDG_CACHE_HOME/upshot/log)
              --default-console log|none
                                     console of jobs without a console stanza (default log)
              --debug                log every event and state change
              --version              print the version and exit
              --help                 print this help and exit
            """;

    /**
     * Parses {@code bin/upshot}'s flags.
     *
     * @throws UsageException on an unknown flag, a missing or bad value
     */
    public static Command parse(List<String> args, Context context) throws UsageException {
        Mode mode = null;
        List<Path> confDirs = new ArrayList<>();
        Path pluginDir = null;
        Path runtimeDir = null;
        Path logDir = null;
        boolean debug = false;
        String defaultConsole = "log";
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String flag = arg;
            String inlineValue = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                flag = arg.substring(0, equals);
                inlineValue = arg.substring(equals + 1);
            }
            switch (flag) {
                case "--help", "-h" -> { return new PrintHelp(); }
                case "--version" -> { return new PrintVersion(); }
                case "--system", "--session" -> {
                    Mode requested = flag.equals("--system") ? Mode.SYSTEM : Mode.SESSION;
                    if (mode != null && mode != requested) {
                        throw new UsageException("--system and --session cannot be combined");
                    }
                    mode = requested;
                }
                case "--debug" -> debug = true;
                case "--confdir", "--plugin-dir", "--runtime-dir", "--log-dir", "--default-console" -> {
                    String value = inlineValue;
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException("option " + flag + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    if (value.isEmpty()) {
                        throw new UsageException("option " + flag + " needs a non-empty value");
                    }
                    switch (flag) {
                        case "--confdir" -> confDirs.add(absolute(value));
                        case "--plugin-dir" -> pluginDir = absolute(value);
                        case "--runtime-dir" -> runtimeDir = absolute(value);
                        case "--log-dir" -> logDir = absolute(value);
                        default -> {
                            if (!value.equals("log") && !value.equals("none")) {
                                throw new UsageException("--default-console must be log or none, not '" + value + "'");
                            }
                            defaultConsole = value;
                        }
                    }
                }
                default -> throw new UsageException(arg.startsWith("-")
                        ? "unknown option " + arg
                        : "unexpected argument '" + arg + "'");
            }
        }
        boolean pid1 = context.pid() == 1;
        if (mode == null) {
            mode = pid1 || context.uid() == 0 ? Mode.SYSTEM : Mode.SESSION;
        }
        if (confDirs.isEmpty()) {
            confDirs.add(mode == Mode.SYSTEM
                    ? Path.of("/etc/init")
                    : xdg(context, "XDG_CONFIG_HOME", ".config").resolve("upshot"));
        }
        if (pluginDir == null) {
            pluginDir = context.distroHome().resolve("plugins");
        }
        if (runtimeDir == null) {
            runtimeDir = defaultRuntimeDir(mode, context);
        }
        if (logDir == null) {
            logDir = mode == Mode.SYSTEM
                    ? Path.of("/var/log/upshot")
                    : xdg(context, "XDG_CACHE_HOME", ".cache").resolve("upshot").resolve("log");
        }
        return new Run(new LauncherOptions(
                mode, List.copyOf(confDirs), pluginDir, runtimeDir, logDir, debug, defaultConsole, pid1));
    }

    /** The {@code upshot.confdirs} framework property: directories joined by the path separator. */
    public String confDirsProperty() {
        return confDirs.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private static Path defaultRuntimeDir(Mode mode, Context context) {
        if (mode == Mode.SYSTEM) {
            return Path.of("/run/upshot");
        }
        String xdgRuntime = context.env().get("XDG_RUNTIME_DIR");
        if (xdgRuntime != null && xdgRuntime.startsWith("/")) {
            return Path.of(xdgRuntime, "upshot");
        }
        return Path.of("/tmp", "upshot-" + context.uid());
    }

    /** An XDG base directory: the variable if set to an absolute path, else {@code ~/fallback}. */
    private static Path xdg(Context context, String variable, String fallback) {
        String value = context.env().get(variable);
        if (value != null && value.startsWith("/")) {
            return Path.of(value);
        }
        return context.home().resolve(fallback);
    }

    private static Path absolute(String value) {
        return Path.of(value).toAbsolutePath().normalize();
    }
}
