package org.upshot.bench;

import org.upshot.process.internal.HandedDescriptors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jnr.ffi.Pointer;
import org.upshot.daemon.DaemonSettings;
import org.upshot.engine.internal.config.ConfigurationLoader;
import org.upshot.engine.internal.job.Engine;
import org.upshot.engine.internal.job.EngineControl;
import org.upshot.engine.internal.job.EngineSettings;
import org.upshot.engine.internal.parse.StanzaLookup;
import org.upshot.event.Event;
import org.upshot.event.EventResult;
import org.upshot.job.JobState;
import org.upshot.job.JobView;
import org.upshot.process.internal.NativeHost;
import org.upshot.process.internal.PosixProcessLauncher;

/**
 * The engine end to end, on real processes, in one JVM.
 *
 * <ul>
 *   <li>{@code tasks [N=1000] [rounds=3]}: event-driven task starts per second. A task
 *       {@code exec /bin/true} started by an event, the emitter waiting until it has
 *       finished; serially (one event at a time, a singleton task) and in a batch (N
 *       events at once for an instance task). Baseline in the same run, before any
 *       reaper thread exists: a bare {@code posix_spawn(SETSID)} + {@code waitpid} loop.</li>
 *   <li>{@code bringup [N=1000]}: N services {@code exec sleep 100000} all started by one
 *       event; the time from the emit until it completes (every service running), the
 *       JVM's RSS with them up, then the time to stop them all.</li>
 * </ul>
 */
public final class EngineBench {

    private EngineBench() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "tasks";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        if (mode.equals("bringup")) {
            bringUp(n);
        } else {
            tasks(n, rounds);
        }
    }

    private static void tasks(int n, int rounds) throws Exception {
        double[] raw = new double[rounds];
        Pointer setsid = SpawnBench.sessionAttributes();
        SpawnBench.rawRound(n / 4, setsid);
        for (int i = 0; i < rounds; i++) {
            raw[i] = SpawnBench.rawRound(n, setsid);
            System.out.printf("raw posix_spawn(SETSID)+waitpid round %d: %8.0f /s%n", i + 1, raw[i]);
        }
        Path dir = Files.createTempDirectory("upshot-bench");
        write(dir, "serial", "task", "console none", "start on tick", "exec /bin/true");
        write(dir, "batch", "task", "console none", "start on go", "instance $N", "exec /bin/true");
        try (Daemon daemon = new Daemon(dir)) {
            double[] serial = new double[rounds];
            double[] batch = new double[rounds];
            serialRound(daemon, n / 4);
            batchRound(daemon, n / 4);
            for (int i = 0; i < rounds; i++) {
                serial[i] = serialRound(daemon, n);
                System.out.printf("engine, serial task starts   round %d: %8.0f /s%n", i + 1, serial[i]);
                batch[i] = batchRound(daemon, n);
                System.out.printf("engine, batch task starts    round %d: %8.0f /s%n", i + 1, batch[i]);
            }
            System.out.printf("median: raw %.0f/s, engine serial %.0f/s (%.0f%% of raw), engine batch %.0f/s"
                    + " (%.0f%% of raw); N=%d, %d rounds%n", Stats.median(raw), Stats.median(serial),
                    100 * Stats.median(serial) / Stats.median(raw), Stats.median(batch), 100 * Stats.median(batch) / Stats.median(raw), n, rounds);
        } finally {
            delete(dir);
        }
    }

    private static double serialRound(Daemon daemon, int n) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            EventResult result = daemon.control.emit(Event.of("tick"), true).toCompletableFuture().get();
            if (result != EventResult.OK) {
                throw new IllegalStateException("tick failed");
            }
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static double batchRound(Daemon daemon, int n) throws Exception {
        long start = System.nanoTime();
        List<CompletableFuture<EventResult>> done = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            done.add(daemon.control.emit(Event.of("go", "N=" + i), true).toCompletableFuture());
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static void bringUp(int n) throws Exception {
        Path dir = Files.createTempDirectory("upshot-bench");
        for (int i = 0; i < n; i++) {
            write(dir, String.format("svc-%04d", i), "console none", "start on bringup", "exec sleep 100000");
        }
        System.out.printf("RSS before the engine: %d KiB%n", rssKiB());
        try (Daemon daemon = new Daemon(dir)) {
            long start = System.nanoTime();
            EventResult result = daemon.control.emit(Event.of("bringup"), true).toCompletableFuture()
                    .get(5, TimeUnit.MINUTES);
            double upMillis = (System.nanoTime() - start) / 1e6;
            List<JobView> jobs = daemon.control.list().toCompletableFuture().get();
            long running = jobs.stream().flatMap(j -> j.instances().stream())
                    .filter(i -> i.state() == JobState.RUNNING).count();
            System.gc();
            long rss = rssKiB();
            System.out.printf("bring-up: %d of %d services running in %.0f ms (event %s); RSS %d KiB (%.1f MiB)%n",
                    running, n, upMillis, result, rss, rss / 1024.0);
            start = System.nanoTime();
            daemon.engine.stopAll().toCompletableFuture().get(5, TimeUnit.MINUTES);
            System.out.printf("stop all: %.0f ms%n", (System.nanoTime() - start) / 1e6);
        } finally {
            delete(dir);
        }
    }

    private static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** An engine over a confdir, as the daemon runs it, minus the framework. */
    private static final class Daemon implements AutoCloseable {
        final Engine engine;
        final EngineControl control;

        Daemon(Path dir) throws Exception {
            Path confdir = dir.resolve("conf");
            Map<String, String> env = System.getenv();
            EngineSettings settings = EngineSettings.of(DaemonSettings.builder(DaemonSettings.Mode.SESSION,
                    DaemonSettings.Facts.current(), dir).runtimeDir(dir.resolve("run")).logDir(dir.resolve("log"))
                    .defaultConsole(DaemonSettings.DefaultConsole.NONE).build(), env, Optional.empty());
            engine = new Engine(new PosixProcessLauncher(), settings, new NativeHost(), new HandedDescriptors());
            ConfigurationLoader loader = new ConfigurationLoader(List.of(confdir), StanzaLookup.NONE);
            control = new EngineControl(engine, () -> engine.ask(() -> null), List::of, List::of);
            engine.start();
            long start = System.nanoTime();
            engine.configure(loader.load().jobs().values());
            engine.ask(() -> null).toCompletableFuture().get();
            System.out.printf("loaded the job files in %.0f ms%n", (System.nanoTime() - start) / 1e6);
        }

        @Override
        public void close() throws Exception {
            engine.stopAll().toCompletableFuture().get(5, TimeUnit.MINUTES);
            engine.close();
        }
    }

    private static void write(Path dir, String name, String... lines) throws IOException {
        Path file = dir.resolve("conf").resolve(name + ".conf");
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
