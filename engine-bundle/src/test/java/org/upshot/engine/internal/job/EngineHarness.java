package org.upshot.engine.internal.job;

import org.upshot.process.internal.HandedDescriptors;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.upshot.daemon.DaemonSettings;
import org.upshot.engine.internal.config.Configuration;
import org.upshot.engine.internal.config.ConfigurationLoader;
import org.upshot.engine.internal.parse.Diagnostic;
import org.upshot.engine.internal.plugin.PluginCatalog;
import org.upshot.event.Event;
import org.upshot.event.EventResult;
import org.upshot.job.InstanceView;
import org.upshot.job.JobState;
import org.upshot.job.JobView;
import org.upshot.job.ProcessKind;
import org.upshot.process.Cgroups;
import org.upshot.process.ProcessLauncher;
import org.upshot.process.internal.NativeHost;
import org.upshot.process.internal.PosixProcessLauncher;
import org.upshot.spi.stanza.StanzaExtension;

/**
 * A real engine over a temporary confdir, with the real process launcher, for
 * integration tests: write job files, load them, drive the engine, read /proc.
 */
final class EngineHarness implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** Short, so tests of hung sources need not wait the daemon's 10 s. */
    static final Duration SOURCE_CALL_TIMEOUT = Duration.ofSeconds(2);
    private static final PosixProcessLauncher LAUNCHER = new PosixProcessLauncher();
    /** The launcher the engine uses, for tests that signal processes themselves. */
    static final PosixProcessLauncher LAUNCHER_FOR_TESTS = LAUNCHER;
    private static final NativeHost HOST = new NativeHost();

    static {
        try {
            // orphans (double-forked daemons) must come back to us to be reaped
            HOST.becomeChildSubreaper();
        } catch (Exception e) {
            System.out.println("cannot become child subreaper: " + e.getMessage());
        }
    }

    final Path dir;
    final Path confdir;
    final Path logdir;
    final Engine engine;
    final EngineControl control;
    private final ConfigurationLoader loader;
    /** Every event the engine handled, in order. */
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());

    EngineHarness() throws IOException {
        this(Optional.empty());
    }

    EngineHarness(Optional<Cgroups> cgroups) throws IOException {
        this(cgroups, Map.of());
    }

    EngineHarness(Optional<Cgroups> cgroups, Map<String, StanzaExtension> extensions) throws IOException {
        this(cgroups, extensions, LAUNCHER);
    }

    /** An engine that spawns through {@code launcher} (the real one with a gate, say). */
    EngineHarness(ProcessLauncher launcher) throws IOException {
        this(Optional.empty(), Map.of(), launcher);
    }

    private EngineHarness(Optional<Cgroups> cgroups, Map<String, StanzaExtension> extensions,
            ProcessLauncher launcher) throws IOException {
        dir = Files.createTempDirectory("upshot-engine");
        confdir = Files.createDirectories(dir.resolve("conf"));
        logdir = dir.resolve("log");
        Map<String, String> daemonEnv = System.getenv();
        DaemonSettings daemon = DaemonSettings.builder(DaemonSettings.Mode.SESSION, DaemonSettings.Facts.current(),
                dir).runtimeDir(dir.resolve("run")).logDir(logdir).sourceCallTimeout(SOURCE_CALL_TIMEOUT).build();
        EngineSettings settings = EngineSettings.of(daemon, daemonEnv, cgroups);
        engine = new Engine(launcher, settings, HOST, new HandedDescriptors());
        PluginCatalog plugins = new PluginCatalog();
        extensions.forEach((keyword, extension) -> plugins.activate(extension, List.of(keyword), "test"));
        loader = new ConfigurationLoader(List.of(confdir), plugins);
        control = new EngineControl(engine, () -> {
            engine.apply(loader.reload());
            return engine.ask(() -> null);
        }, List::of, () -> loader.problems().stream().map(Diagnostic::render).toList());
        engine.start();
        engine.request(() -> engine.subscribe(events::add));
    }

    /** Writes {@code CONFDIR/NAME.conf}. */
    EngineHarness job(String name, String... lines) throws IOException {
        Path file = confdir.resolve(name + ".conf");
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
        return this;
    }

    /** A file in the test's directory, for jobs to write markers into. */
    Path file(String name) {
        return dir.resolve(name);
    }

    /** The lines of a marker file, empty if it does not exist. */
    List<String> lines(String name) {
        try {
            Path path = file(name);
            return Files.exists(path) ? Files.readAllLines(path) : List.of();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Loads every job file and waits until the engine has them. */
    void load() {
        Configuration configuration = loader.load();
        assertTrue(configuration.diagnostics().isEmpty(), () -> "diagnostics: " + configuration.diagnostics());
        engine.configure(configuration.jobs().values());
        get(engine.ask(() -> null));
    }

    /** Loads every job file, whatever the diagnostics, waits until the engine has them, and returns them. */
    Configuration loadWithDiagnostics() {
        Configuration configuration = loader.load();
        engine.configure(configuration.jobs().values());
        get(engine.ask(() -> null));
        return configuration;
    }

    static <T> T get(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError("timed out or interrupted", e);
        }
    }

    InstanceView start(String job, String... env) {
        return get(control.start(job, List.of(env), true));
    }

    InstanceView stop(String job, String... env) {
        return get(control.stop(job, List.of(env), true));
    }

    EventResult emit(String name, String... env) {
        return get(control.emit(Event.of(name, env), true));
    }

    /** Emits without waiting for the event to complete. */
    void emitNoWait(String name, String... env) {
        control.emit(Event.of(name, env), false);
    }

    JobView status(String job) {
        return get(control.status(job));
    }

    /** The first instance of {@code job}, if any. */
    Optional<InstanceView> instance(String job) {
        return status(job).instances().stream().findFirst();
    }

    Optional<InstanceView> instance(String job, String name) {
        return status(job).instances().stream().filter(i -> i.instance().equals(name)).findFirst();
    }

    int mainPid(String job) {
        return instance(job).map(i -> i.processes().get(ProcessKind.MAIN)).orElseThrow();
    }

    boolean running(String job) {
        return instance(job).map(i -> i.state() == JobState.RUNNING).orElse(false);
    }

    boolean stopped(String job) {
        return instance(job).isEmpty();
    }

    /** The names of handled events, with their JOB where they have one, e.g. "started dbus". */
    List<String> jobEvents() {
        List<String> out = new ArrayList<>();
        synchronized (events) {
            for (Event event : events) {
                out.add(event.get("JOB").map(job -> event.name() + " " + job).orElse(event.name()));
            }
        }
        return out;
    }

    Optional<Event> lastEvent(String name, String job) {
        synchronized (events) {
            for (int i = events.size() - 1; i >= 0; i--) {
                Event event = events.get(i);
                if (event.name().equals(name) && event.get("JOB").orElse("").equals(job)) {
                    return Optional.of(event);
                }
            }
        }
        return Optional.empty();
    }

    static void await(String what, BooleanSupplier condition) {
        await(what, condition, TIMEOUT);
    }

    static void await(String what, BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            try {
                TimeUnit.MILLISECONDS.sleep(5); // polling interval, not synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static <T> T awaitValue(String what, Supplier<Optional<T>> value) {
        Object[] box = new Object[1];
        await(what, () -> {
            Optional<T> v = value.get();
            v.ifPresent(x -> box[0] = x);
            return v.isPresent();
        });
        @SuppressWarnings("unchecked")
        T result = (T) box[0];
        return result;
    }

    /** Whether {@code pid} is alive (not a zombie). */
    static boolean alive(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The environment of a job process once it has exec'd (right after posix_spawn the
     * child may still show the JVM's), as one string with each entry followed by NUL.
     */
    static String environ(int pid) {
        String[] box = new String[1];
        await("process " + pid + " to exec", () -> {
            box[0] = proc(pid, "environ");
            return box[0].contains("UPSTART_JOB=");
        });
        return "\0" + box[0];
    }

    static String proc(int pid, String file) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/" + file));
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc/" + pid + "/" + file, e);
        }
    }

    /** A line of /proc/PID/status, e.g. "Umask". */
    static String status(int pid, String key) {
        for (String line : proc(pid, "status").split("\n")) {
            if (line.startsWith(key + ":")) {
                return line.substring(key.length() + 1).strip();
            }
        }
        throw new AssertionError("no " + key + " in /proc/" + pid + "/status");
    }

    @Override
    public void close() {
        try {
            get(engine.stopAll());
        } finally {
            engine.close();
        }
    }
}
