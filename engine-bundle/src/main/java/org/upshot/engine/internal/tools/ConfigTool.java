package org.upshot.engine.internal.tools;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline configuration tools, run without a daemon by {@code bin/upshot}:
 *
 * <pre>
 * upshot check-config [--confdir DIR]... [FILE...]
 * upshot show-config  [--confdir DIR]... [JOB]
 * </pre>
 *
 * <p>Exit status: 0 on success, 1 when a job file has an error (check-config) or the job
 * is unknown (show-config), 2 for a usage error. With neither {@code --confdir} nor a
 * file, the confdir is {@value #DEFAULT_CONFDIR}.
 */
public final class ConfigTool {

    /** Exit status for success. */
    public static final int OK = 0;
    /** Exit status when the configuration has errors. */
    public static final int FAILED = 1;
    /** Exit status for bad command-line arguments. */
    public static final int USAGE = 2;

    static final String DEFAULT_CONFDIR = "/etc/init";

    private static final String USAGE_TEXT = """
            usage: upshot check-config [--confdir DIR]... [FILE...]
                   upshot show-config [--confdir DIR]... [JOB]""";

    private ConfigTool() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        List<Path> confdirs = new ArrayList<>();
        List<String> operands = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--confdir") && i + 1 < args.length) {
                confdirs.add(Path.of(args[++i]));
            } else if (arg.startsWith("--confdir=")) {
                confdirs.add(Path.of(arg.substring("--confdir=".length())));
            } else if (arg.equals("--help") || arg.equals("-h")) {
                out.println(USAGE_TEXT);
                return OK;
            } else if (arg.startsWith("-")) {
                err.println(args[0] + ": unknown option " + arg);
                err.println(USAGE_TEXT);
                return USAGE;
            } else {
                operands.add(arg);
            }
        }
        switch (args[0]) {
            case "check-config":
                if (confdirs.isEmpty() && operands.isEmpty()) {
                    confdirs.add(Path.of(DEFAULT_CONFDIR));
                }
                return CheckConfig.run(confdirs, operands.stream().map(Path::of).toList(), out);
            case "show-config":
                if (operands.size() > 1) {
                    err.println("show-config: at most one job name");
                    return USAGE;
                }
                if (confdirs.isEmpty()) {
                    confdirs.add(Path.of(DEFAULT_CONFDIR));
                }
                return ShowConfig.run(confdirs, operands.stream().findFirst(), out, err);
            default:
                err.println("upshot: unknown command " + args[0]);
                err.println(USAGE_TEXT);
                return USAGE;
        }
    }
}
