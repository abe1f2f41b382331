package org.upshot.launcher;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        LauncherOptions options = ((LauncherOptions.Run) command).options();
        OneLineFormatter.install(options.debug());
        try {
            return new Daemon(options, context.distroHome().resolve("bundle"), version()).run();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "launcher failed", e);
            if (options.pid1()) {
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
        return new LauncherOptions.Context(
                ProcessHandle.current().pid(),
                effectiveUid(),
                System.getenv(),
                Path.of(System.getProperty("user.home")),
                distroHome());
    }

    /** The owner of {@code /proc/self} is the effective uid; no native call needed. */
    private static int effectiveUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name")) ? 0 : -1;
        }
    }

    /** {@code -Dupshot.home} from {@code bin/upshot}, else the parent of the launcher jar's {@code lib/}. */
    private static Path distroHome() {
        String home = System.getProperty("upshot.home");
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
