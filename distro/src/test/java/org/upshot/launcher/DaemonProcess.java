package org.upshot.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.upshot.launcher.probe.ProbeActivator;

/**
 * The assembled distribution's {@code bin/upshot} running as a child of the test JVM,
 * in session mode over private directories, with the probe bundle in its plugin
 * directory. The test JVM runs no reaper, so a plain {@link ProcessBuilder} is safe here.
 */
final class DaemonProcess implements AutoCloseable {
    /** util-linux's unshare, for the PID 1 tests. */
    static final String UNSHARE = "/usr/bin/unshare";
    /** The distribution built by this module's package phase. */
    static final Path DISTRO = Path.of(System.getProperty("upshot.distro.dir", "target/upshot-0.1.0"));

    final Path workDir;
    final Path pluginDir;
    final Path runtimeDir;
    final Path confDir;
    final Path logDir;
    final Path stderr;
    private final Process process;
    private final boolean pid1;

    private DaemonProcess(Path workDir, boolean pid1, List<String> extraArgs) throws IOException {
        this.workDir = workDir;
        this.pid1 = pid1;
        this.pluginDir = Files.createDirectories(workDir.resolve("plugins"));
        this.runtimeDir = workDir.resolve("run");
        this.confDir = Files.createDirectories(workDir.resolve("conf"));
        this.logDir = workDir.resolve("log");
        this.stderr = workDir.resolve("upshot.stderr");
        // A signal inherited as ignored (a CI runner's background job) would make the
        // daemon's handlers never fire: start it with every disposition at default.
        List<String> command = new ArrayList<>(List.of("env", "--default-signal"));
        if (pid1) {
            command.addAll(List.of(UNSHARE, "--pid", "--fork", "--mount-proc"));
        }
        command.addAll(List.of(DISTRO.resolve("bin/upshot").toString(), pid1 ? "--system" : "--session", "--debug",
                "--plugin-dir", pluginDir.toString(), "--runtime-dir", runtimeDir.toString(),
                "--confdir", confDir.toString(), "--log-dir", logDir.toString()));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(stderr.toFile());
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        this.process = builder.start();
    }

    /**
     * Starts a daemon whose plugin directory holds the distribution's plugins and the probe.
     *
     * @param workDir a fresh directory for its plugin, runtime, log and job directories
     */
    static DaemonProcess start(Path workDir, String... extraArgs) throws IOException {
        return start(workDir, false, extraArgs);
    }

    /**
     * Starts a daemon as PID 1 of a new PID namespace ({@code unshare --pid --fork
     * --mount-proc bin/upshot --system}); needs root.
     */
    static DaemonProcess startAsPid1(Path workDir, String... extraArgs) throws IOException {
        return start(workDir, true, extraArgs);
    }

    private static DaemonProcess start(Path workDir, boolean pid1, String... extraArgs) throws IOException {
        Path plugins = Files.createDirectories(workDir.resolve("plugins"));
        try (Stream<Path> jars = Files.list(DISTRO.resolve("plugins"))) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        TestBundles.probe(plugins);
        return new DaemonProcess(workDir, pid1, List.of(extraArgs));
    }

    /** Writes job file {@code name.conf} into the daemon's job directory. */
    DaemonProcess job(String name, String text) throws IOException {
        Files.writeString(confDir.resolve(name + ".conf"), text);
        return this;
    }

    /**
     * The daemon JVM's pid as seen from the test: the child itself, or under unshare the
     * child of {@code unshare}.
     */
    long pid() {
        if (!pid1) {
            return process.pid();
        }
        Await.until(Duration.ofSeconds(10), () -> process.children().findAny().isPresent(),
                () -> "unshare's child; log:\n" + log());
        return process.children().findFirst().orElseThrow().pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the daemon wrote so far (stderr and stdout). */
    String log() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The probe's latest report: {@code bundle BSN STATE} and {@code component BSN NAME STATE} lines. */
    List<String> report() {
        try {
            return Files.readAllLines(runtimeDir.resolve(ProbeActivator.REPORT));
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

    /** Waits until the daemon's log matches {@code regex}. */
    void awaitLog(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
        Await.until(timeout, () -> pattern.matcher(log()).find() || !process.isAlive(),
                () -> "log matching /" + regex + "/; log so far:\n" + log());
        if (!pattern.matcher(log()).find()) {
            throw new AssertionError("daemon exited with " + process.exitValue() + " before /" + regex + "/:\n" + log());
        }
    }

    /** Waits until bundle {@code symbolicName} is in {@code state} (null: not installed). */
    void awaitBundle(String symbolicName, String state, Duration timeout) {
        Await.until(timeout, () -> java.util.Objects.equals(bundleState(symbolicName), state),
                () -> symbolicName + " in state " + state + "; report:\n" + String.join("\n", report())
                        + "\nlog:\n" + log());
    }

    /**
     * Runs {@code bin/initctl ARGS} against this daemon's control socket.
     *
     * @return its exit status and merged output
     */
    CommandResult initctl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(DISTRO.resolve("bin/initctl").toString()));
        command.addAll(List.of(args));
        return CommandResult.run(Map.of("UPSHOT_SOCKET", runtimeDir.resolve("control.sock").toString(),
                "JAVA_HOME", System.getProperty("java.home")), command);
    }

    /**
     * Stops the daemon with SIGTERM and waits for it.
     *
     * @return its exit status
     */
    int stop(Duration timeout) throws InterruptedException {
        ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroy);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("daemon ignored SIGTERM for " + timeout.toMillis() + " ms:\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        // Under unshare the daemon is unshare's child: killing PID 1 empties the namespace.
        process.children().forEach(ProcessHandle::destroyForcibly);
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
