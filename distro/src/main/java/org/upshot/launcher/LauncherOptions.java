package org.upshot.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.upshot.daemon.DaemonSettings;
import org.upshot.daemon.DaemonSettings.DefaultConsole;
import org.upshot.daemon.DaemonSettings.Mode;

/**
 * {@code bin/upshot}'s flags, parsed into the daemon's settings ({@link DaemonSettings},
 * which holds every default) or into a command that prints something and exits.
 */
final class LauncherOptions {

    /** The distribution's boot and shutdown jobs, loaded in system mode after the confdirs. */
    static final String DEFAULT_JOBS = "init";

    private LauncherOptions() {}

    /** What {@link #parse} answers: run the daemon, or print something and exit. */
    sealed interface Command permits Run, PrintHelp, PrintVersion {}

    /** Run the daemon with these settings. */
    record Run(DaemonSettings settings) implements Command {}

    /** {@code --help}. */
    record PrintHelp() implements Command {}

    /** {@code --version}. */
    record PrintVersion() implements Command {}

    /**
     * What the defaults depend on.
     *
     * @param facts this process (pid, uid, environment, home)
     * @param distroHome the unpacked distribution ({@code bin/}, {@code plugins/}...)
     * @param properties system properties, for the settings without a flag
     *     ({@code -Dupshot.control.max.connections=...} in {@code UPSHOT_JAVA_OPTS})
     */
    record Context(DaemonSettings.Facts facts, Path distroHome, Function<String, String> properties) {}

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
              --no-default-jobs      system mode: leave out the boot jobs of DISTRO/init
                                     (runlevels, mount, network and container events, rc)
              --debug                log every event and state change
              --version              print the version and exit
              --help                 print this help and exit
            """;

    /**
     * Parses {@code bin/upshot}'s flags.
     *
     * @throws UsageException on an unknown flag, a missing or bad value, or a bad
     *     {@code upshot.*} system property
     */
    static Command parse(List<String> args, Context context) throws UsageException {
        Mode mode = null;
        List<Path> confDirs = new ArrayList<>();
        Path pluginDir = null;
        Path runtimeDir = null;
        Path logDir = null;
        boolean debug = false;
        boolean defaultJobs = true;
        DefaultConsole defaultConsole = DefaultConsole.LOG;
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
                case "--no-default-jobs" -> defaultJobs = false;
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
                            defaultConsole = value.equals("log") ? DefaultConsole.LOG : DefaultConsole.NONE;
                        }
                    }
                }
                default -> throw new UsageException(arg.startsWith("-")
                        ? "unknown option " + arg
                        : "unexpected argument '" + arg + "'");
            }
        }
        DaemonSettings.Builder settings = DaemonSettings.builder(
                mode == null ? Mode.defaultFor(context.facts()) : mode, context.facts(), context.distroHome())
                .debug(debug).defaultConsole(defaultConsole);
        if (!confDirs.isEmpty()) {
            settings.confDirs(confDirs);
        }
        Optional.ofNullable(pluginDir).ifPresent(settings::pluginDir);
        Optional.ofNullable(runtimeDir).ifPresent(settings::runtimeDir);
        Optional.ofNullable(logDir).ifPresent(settings::logDir);
        // bin/upshot's PID 1 runs the daemon as its child, and says so
        if (Boolean.parseBoolean(context.properties().apply(DaemonSettings.PID1))) {
            settings.pid1(true);
        }
        try {
            settings.tunables(context.properties());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        DaemonSettings built = settings.build();
        if (built.mode() == Mode.SYSTEM && defaultJobs) {
            // last, so that a job of the same name in a configured confdir replaces the default one
            List<Path> withDefaults = new ArrayList<>(built.confDirs());
            withDefaults.add(context.distroHome().resolve(DEFAULT_JOBS));
            built = settings.confDirs(withDefaults).build();
        }
        return new Run(built);
    }

    private static Path absolute(String value) {
        return Path.of(value).toAbsolutePath().normalize();
    }
}
