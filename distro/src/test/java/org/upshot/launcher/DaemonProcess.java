package org.upshot.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.upshot.launcher.probe.ProbeActivator;
import org.upshot.testkit.Await;
import org.upshot.testkit.BootedDaemon;

/**
 * The kit's {@link BootedDaemon} with every plugin of the distribution and the probe
 * bundle in its plugin directory, and what only this module's ITs need: the probe's
 * report of bundles and components, {@code bin/initctl}, and PID 1 of a namespace.
 */
final class DaemonProcess extends BootedDaemon {
    /** util-linux's unshare, for the PID 1 tests. */
    static final String UNSHARE = "/usr/bin/unshare";
    /** The distribution built by this module's package phase. */
    static final Path DISTRO = BootedDaemon.distro();

    private DaemonProcess(Builder builder) throws IOException {
        super(builder);
    }

    /**
     * Starts a session daemon whose plugin directory holds the distribution's plugins and the probe.
     *
     * @param workDir a fresh directory for its plugin, runtime, log and job directories
     */
    static DaemonProcess start(Path workDir, String... extraArgs) throws IOException {
        return new DaemonProcess(withDistroPlugins(workDir).arguments(extraArgs));
    }

    /**
     * Starts a session daemon as {@link #start(Path, String...)} does, with what
     * {@code options} adds to its builder: JVM options, environment, arguments.
     */
    static DaemonProcess start(Path workDir, UnaryOperator<Builder> options) throws IOException {
        return new DaemonProcess(options.apply(withDistroPlugins(workDir)));
    }

    /**
     * Starts a daemon as PID 1 of a new PID namespace ({@code unshare --pid --fork
     * --mount-proc bin/upshot --system}) without the distribution's boot jobs, whose rc
     * job would run the host's SysV scripts; needs root.
     */
    static DaemonProcess startAsPid1(Path workDir, String... extraArgs) throws IOException {
        return startAsPid1(workDir, List.of(), List.of(),
                options -> options.arguments("--no-default-jobs").arguments(extraArgs));
    }

    /**
     * Starts a daemon as PID 1 of a new PID namespace with the distribution's boot jobs:
     * {@code outside} ({@code ip netns exec NS}, or nothing), then {@code unshare --pid
     * --fork --mount-proc}, then {@code inside} (a command that ends by exec-ing its
     * arguments, or nothing), then {@code bin/upshot}, with what {@code options} adds;
     * needs root.
     */
    static DaemonProcess startAsPid1(Path workDir, List<String> outside, List<String> inside,
            UnaryOperator<Builder> options) throws IOException {
        List<String> command = new ArrayList<>(outside);
        command.addAll(List.of(UNSHARE, "--pid", "--fork", "--mount-proc"));
        command.addAll(inside);
        return new DaemonProcess(options.apply(withDistroPlugins(workDir).system()
                .launcher(command.toArray(String[]::new))));
    }

    private static Builder withDistroPlugins(Path workDir) throws IOException {
        TestBundles.probe(Files.createDirectories(workDir.resolve("plugins")));
        try (Stream<Path> jars = Files.list(DISTRO.resolve("plugins"))) {
            return BootedDaemon.in(workDir).plugins(jars.toList());
        }
    }

    /** The probe's latest report: {@code bundle BSN STATE} and {@code component BSN NAME STATE} lines. */
    List<String> report() {
        try {
            return Files.readAllLines(runtimeDir().resolve(ProbeActivator.REPORT));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The state of bundle {@code symbolicName} in the latest report, or null if not installed. */
    String bundleState(String symbolicName) {
        String prefix = "bundle " + symbolicName + " ";
        return report().stream().filter(line -> line.startsWith(prefix))
                .map(line -> line.substring(prefix.length())).findFirst().orElse(null);
    }

    /** Waits until bundle {@code symbolicName} is in {@code state} (null: not installed). */
    void awaitBundle(String symbolicName, String state, Duration timeout) {
        Await.until(timeout, () -> Objects.equals(bundleState(symbolicName), state),
                () -> symbolicName + " in state " + state + "; report:\n" + String.join("\n", report())
                        + "\nlog:\n" + logTail());
    }

    /**
     * Runs {@code bin/initctl ARGS} against this daemon's control socket.
     *
     * @return its exit status and merged output
     */
    CommandResult initctl(String... args) throws IOException, InterruptedException {
        return CommandResult.initctl(this, args);
    }
}
