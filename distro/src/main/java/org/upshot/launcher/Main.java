package org.upshot.launcher;

import java.lang.System.Logger.Level;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.upshot.daemon.DaemonSettings;
import java.util.Arrays;

/**
 * {@code bin/upshot}: parses the flags, sets up logging and runs the {@link Daemon}.
 * Exit status 0 when stopped as asked, 1 on failure, 2 on a bad command line.
 */
public final class Main {
    private static final System.Logger LOG = System.getLogger("org.upshot.launcher");

    private Main() {
    }

    /** Entry point of {@code bin/upshot}. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        LauncherOptions.Context context = currentContext();
        LauncherOptions.Command command;
        try {
            command = LauncherOptions.parse(Arrays.asList(args), context);
        } catch (UsageException e) {
            System.err.println("upshot: " + e.getMessage());
            System.err.println("Try 'upshot --help' for more information.");
            return 2;
        }
        if (command instanceof LauncherOptions.PrintHelp) {
            System.out.print(LauncherOptions.USAGE);
            return 0;
        }
        if (command instanceof LauncherOptions.PrintVersion) {
            System.out.println("upshot " + version());
            return 0;
        }
        DaemonSettings settings = ((LauncherOptions.Run) command).settings();
        OneLineFormatter.install(settings.debug());
        try {
            return new Daemon(settings, context.distroHome(), version()).run();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "launcher failed", e);
            if (settings.pid1()) {
                FallbackReaper.reapForever();
            }
            return 1;
        }
    }

    /** The version in the launcher jar's manifest ({@code dev} when run from classes). */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private static LauncherOptions.Context currentContext() {
        return new LauncherOptions.Context(DaemonSettings.Facts.current(), distroHome(), System::getProperty);
    }

    /** {@code -Dupshot.home} from {@code bin/upshot}, else the parent of the launcher jar's {@code lib/}. */
    private static Path distroHome() {
        String home = System.getProperty(DaemonSettings.HOME);
        if (home != null) {
            return Path.of(home).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent().toAbsolutePath().normalize();
        } catch (URISyntaxException e) {
            return Path.of("").toAbsolutePath();
        }
    }
}
