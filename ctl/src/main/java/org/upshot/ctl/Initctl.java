package org.upshot.ctl;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.upshot.control.Command;
import org.upshot.control.Json;
import org.upshot.control.JsonException;
import org.upshot.control.Protocol;
import org.upshot.daemon.DaemonSettings;

/**
 * {@code initctl} and its aliases {@code start stop restart reload status emit}: sends
 * one request to the daemon's control socket and prints the answer as Upstart did.
 *
 * <p>Exit status: {@value #EXIT_OK} success; {@value #EXIT_FAILURE} the daemon refused or
 * failed the request, could not be reached, or {@code check-config} found problems;
 * {@value #EXIT_USAGE} the command line is wrong. Errors go to stderr prefixed with the
 * name the program was called by.
 *
 * <p>Kept lean on purpose (no lambdas, streams, regexes or {@code String.format}): the
 * JVM's start, dominated by class loading, is most of what a user waits for.
 */
public final class Initctl {

    /** Success. */
    public static final int EXIT_OK = 0;
    /** The request failed, was refused, or the daemon could not be reached. */
    public static final int EXIT_FAILURE = 1;
    /** A usage error: unknown command or option, missing argument. */
    public static final int EXIT_USAGE = 2;

    private static final String[] ALIASES = {"start", "stop", "restart", "reload", "status", "emit"};
    /** Client views of the {@code journal} command. */
    static final String BOOT_CHART = "boot-chart";
    static final String BOOT_TIME = "boot-time";

    private final String program;
    private final Map<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;
    private final Options options = new Options();

    /**
     * @param program the name called by, for alias dispatch and message prefixes
     * @param environment the process environment ({@code UPSHOT_SOCKET}, {@code UPSTART_JOB}, ...)
     */
    public Initctl(String program, Map<String, String> environment, PrintStream out, PrintStream err) {
        this.program = program;
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    /** Runs with {@code upshot.prog} (set by the {@code bin/initctl} script) as the program name. */
    public static void main(String[] args) {
        String program = System.getProperty("upshot.prog", "initctl");
        int status = new Initctl(program, System.getenv(), System.out, System.err).run(args);
        System.out.flush();
        System.exit(status);
    }

    /** Carries out one command line and returns the exit status. */
    public int run(String[] args) {
        try {
            List<String> words = options.parse(args);
            if (options.help) {
                out.print(Usage.text(program));
                return EXIT_OK;
            }
            if (!isAlias(program) && !words.isEmpty() && GraphCommand.NAME.equals(words.get(0))) {
                words.remove(0);
                return new GraphCommand(this, words).run();
            }
            if (readsEventsFromStdin(words)) {
                return new EmitBatch(this, System.in).run();
            }
            return session(words).run();
        } catch (UsageException e) {
            err.print(program + ": " + e.getMessage() + "\nTry `" + program + " --help' for more information.\n");
            return EXIT_USAGE;
        } catch (Failure e) {
            err.print(program + ": " + e.getMessage() + "\n");
            return EXIT_FAILURE;
        }
    }

    /**
     * The command {@code args} ask for, not yet sent; null for {@code --help}.
     *
     * @throws UsageException if the command line is wrong
     */
    Session session(String[] args) {
        List<String> words = options.parse(args);
        if (options.help) {
            return null;
        }
        return session(words);
    }

    private Session session(List<String> words) {
        String command = isAlias(program) ? program : null;
        if (command == null) {
            if (words.isEmpty()) {
                throw new UsageException("missing command");
            }
            command = words.remove(0);
        }
        Command wire = BOOT_CHART.equals(command) || BOOT_TIME.equals(command) ? Command.JOURNAL
                : Command.fromWireName(command);
        if (wire == null) {
            throw new UsageException("invalid command: ".concat(command));
        }
        return new Session(this, wire, command, words);
    }

    /** {@code initctl emit -}, or {@code emit -}: nothing after the dash. */
    private boolean readsEventsFromStdin(List<String> words) {
        int at = program.equals("emit") ? 0 : 1;
        boolean emit = at == 0 || !words.isEmpty() && words.get(0).equals("emit");
        return emit && words.size() == at + 1 && words.get(at).equals(EmitBatch.FROM_STDIN);
    }

    private static boolean isAlias(String name) {
        for (String alias : ALIASES) {
            if (alias.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** The socket: {@code --socket}, {@code UPSHOT_SOCKET}, then the system or session default. */
    Path socketPath() {
        if (options.socket != null) {
            return Path.of(options.socket);
        }
        String fromEnv = environment.get(Protocol.SOCKET_ENV);
        if (fromEnv != null && !fromEnv.isEmpty() && !options.system && !options.session) {
            return Path.of(fromEnv);
        }
        int uid;
        try {
            uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new Failure("cannot find the daemon's socket: " + e.getMessage());
        }
        // the daemon's own rule (DaemonSettings): root talks to the system daemon
        DaemonSettings.Mode mode = options.system || !options.session && uid == 0
                ? DaemonSettings.Mode.SYSTEM : DaemonSettings.Mode.SESSION;
        return DaemonSettings.defaultRuntimeDir(mode, uid, environment).resolve(Protocol.SOCKET_NAME);
    }

    String program() {
        return program;
    }

    /** A connection to the daemon's socket; one that cannot be made is a {@link Failure}. */
    ControlClient connect() {
        Path socket = socketPath();
        try {
            return ControlClient.connect(socket);
        } catch (IOException e) {
            throw new Failure("Unable to connect to Upshot at " + socket + ": " + e.getMessage());
        }
    }

    PrintStream err() {
        return err;
    }

    Map<String, String> environment() {
        return environment;
    }

    Options options() {
        return options;
    }

    PrintStream out() {
        return out;
    }

    /** The command line's options; they may appear anywhere, {@code --} ends them. */
    static final class Options {
        String socket;
        boolean json;
        boolean noWait;
        boolean quiet;
        boolean follow;
        boolean enumerate;
        boolean global;
        boolean retain;
        boolean system;
        boolean session;
        boolean warn;
        boolean help;
        String ignoreEvents;
        String format;
        String output;
        /** {@code log -n N}: the last N lines; -1 for the whole file. */
        int lines = -1;

        List<String> parse(String[] args) {
            List<String> words = new ArrayList<>();
            boolean optionsEnded = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                    words.add(arg);
                    continue;
                }
                String value = null;
                int eq = arg.indexOf('=');
                String name = arg;
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                switch (name) {
                    case "--": optionsEnded = true; break;
                    case "--json": json = true; break;
                    case "-n":
                        // -n N is log's line count; -n alone (before anything but a number) is --no-wait
                        if (i + 1 < args.length && isNumber(args[i + 1])) {
                            lines = Integer.parseInt(args[++i]);
                        } else {
                            noWait = true;
                        }
                        break;
                    case "--no-wait": noWait = true; break;
                    case "--lines":
                        lines = number(value != null ? value : valueOf(args, ++i, name), name);
                        break;
                    case "-o": case "--output":
                        output = value != null ? value : valueOf(args, ++i, name);
                        break;
                    case "-q": case "--quiet": quiet = true; break;
                    case "-f": case "--follow": follow = true; break;
                    case "-e": case "--enumerate": enumerate = true; break;
                    case "-g": case "--global": global = true; break;
                    case "-r": case "--retain": retain = true; break;
                    case "-w": case "--warn": warn = true; break;
                    case "--system": system = true; break;
                    case "--session": case "--user": session = true; break;
                    case "-h": case "--help": help = true; break;
                    case "--socket":
                        socket = value != null ? value : valueOf(args, ++i, name);
                        break;
                    case "--format":
                        format = value != null ? value : valueOf(args, ++i, name);
                        break;
                    case "-i": case "--ignore-events":
                        ignoreEvents = value != null ? value : valueOf(args, ++i, name);
                        break;
                    default:
                        if (arg.startsWith("-n") && isNumber(arg.substring(2))) {
                            lines = Integer.parseInt(arg.substring(2)); // -n20, as tail takes it
                            break;
                        }
                        throw new UsageException("invalid option: ".concat(arg));
                }
            }
            return words;
        }

        private static boolean isNumber(String word) {
            if (word.isEmpty() || word.length() > 9) {
                return false;
            }
            for (int i = 0; i < word.length(); i++) {
                if (word.charAt(i) < '0' || word.charAt(i) > '9') {
                    return false;
                }
            }
            return true;
        }

        private static int number(String word, String option) {
            if (!isNumber(word)) {
                throw new UsageException(option + ": not a number of lines: " + word);
            }
            return Integer.parseInt(word);
        }

        private static String valueOf(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new UsageException(option.concat(": missing argument"));
            }
            return args[index];
        }
    }

    /** A command line that cannot be carried out as written. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    /** A request that failed; the message is printed after the program name. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** Where the last {@code lines} lines of {@code file} begin (a last line without a newline counts). */
    static long startOfLastLines(RandomAccessFile file, int lines) throws IOException {
        long end = file.length();
        if (lines == 0) {
            return end;
        }
        byte[] chunk = new byte[8192];
        int newlines = 0;
        long position = end;
        boolean first = true;
        while (position > 0) {
            int count = (int) Math.min(chunk.length, position);
            position -= count;
            file.seek(position);
            file.readFully(chunk, 0, count);
            for (int i = count - 1; i >= 0; i--) {
                if (chunk[i] != '\n') {
                    first = false;
                    continue;
                }
                if (first) {
                    first = false; // the file's closing newline ends the last line, it starts none
                    continue;
                }
                if (++newlines == lines) {
                    return position + i + 1;
                }
            }
        }
        return 0;
    }

    /** Reads the protocol's JSON or reports a daemon speaking something else. */
    static Map<String, Object> decode(String text) {
        try {
            return Json.parseObject(text);
        } catch (JsonException e) {
            throw new Failure("bad reply from the daemon: " + e.getMessage());
        }
    }

    /**
     * Copies a log file to {@code out} (only its last {@code lines} lines, unless
     * {@code lines} is negative), then with {@code follow} keeps copying what is appended
     * until the process is interrupted (Ctrl-C).
     */
    static void copyLog(Path path, boolean follow, int lines, PrintStream out) throws IOException, InterruptedException {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
            byte[] chunk = new byte[8192];
            long position = lines < 0 ? 0 : startOfLastLines(file, lines);
            while (true) {
                if (file.length() < position) {
                    position = 0; // truncated or rotated in place: start over
                }
                file.seek(position);
                int count;
                while ((count = file.read(chunk)) > 0) {
                    out.write(chunk, 0, count);
                    position += count;
                }
                out.flush();
                if (!follow) {
                    return;
                }
                // Polling keeps the client free of a WatchService thread; a quarter
                // second is quick enough for a human watching a log.
                Thread.sleep(250);
            }
        }
    }
}
