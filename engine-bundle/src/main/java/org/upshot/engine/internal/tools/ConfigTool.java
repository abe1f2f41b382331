package org.upshot.engine.internal.tools;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.upshot.daemon.DaemonSettings;
import org.upshot.engine.internal.plugin.PluginCatalog;
import org.upshot.engine.internal.plugin.PluginJars;

/**
 * The offline configuration tools, run without a daemon by {@code bin/upshot}:
 *
 * <pre>
 * upshot check-config [--confdir DIR]... [--plugin-dir DIR] [FILE...]
 * upshot show-config  [--confdir DIR]... [--plugin-dir DIR] [JOB]
 * </pre>
 *
 * <p>Exit status: 0 on success, 1 when a job file has an error (check-config) or the job
 * is unknown (show-config), 2 for a usage error. With neither {@code --confdir} nor a
 * file, the confdir is {@value #DEFAULT_CONFDIR}. Plugin stanzas are parsed by the
 * plugins in the plugin directory ({@code --plugin-dir}, else the distribution's
 * {@code plugins/}, from the {@code upshot.home} system property that {@code bin/upshot}
 * sets), as the daemon would parse them.
 */
public final class ConfigTool {


    static final String DEFAULT_CONFDIR = "/etc/init";

    private static final String USAGE_TEXT = """
            usage: upshot check-config [--confdir DIR]... [--plugin-dir DIR] [FILE...]
                   upshot show-config [--confdir DIR]... [--plugin-dir DIR] [JOB]""";

    private ConfigTool() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE_TEXT);
            return ExitStatus.USAGE;
        }
        List<Path> confdirs = new ArrayList<>();
        Path pluginDir = Path.of(System.getProperty(DaemonSettings.HOME, "."), "plugins");
        List<String> operands = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--confdir") && i + 1 < args.length) {
                confdirs.add(Path.of(args[++i]));
            } else if (arg.startsWith("--confdir=")) {
                confdirs.add(Path.of(arg.substring("--confdir=".length())));
            } else if (arg.equals("--plugin-dir") && i + 1 < args.length) {
                pluginDir = Path.of(args[++i]);
            } else if (arg.startsWith("--plugin-dir=")) {
                pluginDir = Path.of(arg.substring("--plugin-dir=".length()));
            } else if (arg.equals("--help") || arg.equals("-h")) {
                out.println(USAGE_TEXT);
                return ExitStatus.OK;
            } else if (arg.startsWith("-")) {
                err.println(args[0] + ": unknown option " + arg);
                err.println(USAGE_TEXT);
                return ExitStatus.USAGE;
            } else {
                operands.add(arg);
            }
        }
        PluginCatalog plugins = PluginJars.load(pluginDir, warning -> err.println("upshot: " + warning));
        switch (args[0]) {
            case "check-config":
                if (confdirs.isEmpty() && operands.isEmpty()) {
                    confdirs.add(Path.of(DEFAULT_CONFDIR));
                }
                return CheckConfig.run(confdirs, plugins, operands.stream().map(Path::of).toList(), out);
            case "show-config":
                if (operands.size() > 1) {
                    err.println("show-config: at most one job name");
                    return ExitStatus.USAGE;
                }
                if (confdirs.isEmpty()) {
                    confdirs.add(Path.of(DEFAULT_CONFDIR));
                }
                return ShowConfig.run(confdirs, plugins, operands.stream().findFirst(), out, err);
            default:
                err.println("upshot: unknown command " + args[0]);
                err.println(USAGE_TEXT);
                return ExitStatus.USAGE;
        }
    }
}
