package org.upshot.bench;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.upshot.daemon.DaemonSettings;
import org.upshot.event.EventEmitter;
import org.upshot.event.EventExpression;
import org.upshot.event.EventResult;
import org.upshot.job.InstanceRef;
import org.upshot.job.JobView;
import org.upshot.source.files.FilesConfig;
import org.upshot.source.files.FilesEventSource;
import org.upshot.spi.source.SourceContext;

/**
 * Latency from creating a file to the files source emitting its {@code file} event,
 * over N files (default 200), against the raw JDK WatchService on the same machine and
 * run as the baseline. Without the engine this stops at the emitter: the time to the
 * job's main process adds the engine's queue and a spawn on top.
 *
 * <p>Run: {@code java -cp bench/target/classes:kernel-bundle/target/classes:source-files/target/classes
 * org.upshot.bench.FilesLatencyBench [files]}
 */
public final class FilesLatencyBench {

    private FilesLatencyBench() {}

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path root = Files.createTempDirectory("upshot-files-bench");
        try {
            warmUp(root, 50);
            print("raw WatchService (create -> take)", baseline(root.resolve("raw"), files));
            print("files source, default 100 ms window (create -> emit)", source(root.resolve("src"), files, 100));
            print("files source, window 0 (create -> emit)", source(root.resolve("src0"), files, 0));
        } finally {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static void warmUp(Path root, int files) throws Exception {
        source(root.resolve("warm"), files, 0);
        baseline(root.resolve("warm-raw"), files);
    }

    private static long[] baseline(Path dir, int files) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        long[] latencies = new long[files];
        try (WatchService service = dir.getFileSystem().newWatchService()) {
            dir.register(service, ENTRY_CREATE);
            for (int i = 0; i < files; i++) {
                long start = System.nanoTime();
                Files.createFile(dir.resolve("f" + i));
                WatchKey key = service.poll(5, TimeUnit.SECONDS);
                latencies[i] = System.nanoTime() - start;
                key.pollEvents();
                key.reset();
            }
        }
        return latencies;
    }

    private static long[] source(Path dir, int files, long windowMillis) throws Exception {
        Files.createDirectories(dir);
        LinkedBlockingQueue<Long> emitted = new LinkedBlockingQueue<>();
        FilesEventSource source = new FilesEventSource(config(windowMillis));
        EventEmitter timestamps = (event, descriptors, priority) -> {
            emitted.add(System.nanoTime());
            return CompletableFuture.completedFuture(EventResult.OK);
        };
        source.start(new SourceContext() {
            @Override
            public EventEmitter emitter() {
                return timestamps;
            }

            @Override
            public Optional<InstanceRef> ownerOf(int pid) {
                return Optional.empty();
            }

            @Override
            public DaemonSettings settings() {
                return DaemonSettings.builder(DaemonSettings.Mode.SESSION, DaemonSettings.Facts.current(), dir).build();
            }

            @Override
            public void describe(String job, List<String> lines) {
                // nothing shows them: the bench times events only
            }

            // the files source supervises nothing: no instance, no report
            @Override
            public OptionalInt mainProcess(InstanceRef instance) {
                return OptionalInt.empty();
            }

            @Override
            public void moveMainProcess(InstanceRef instance, int oldPid, int newPid) {}

            @Override
            public void abort(InstanceRef instance, int pid, String process) {}

            @Override
            public void extendTimeout(InstanceRef instance, int pid, java.time.Duration extension) {}
        });
        try {
            EventExpression.Match match = new EventExpression.Match("file", List.of(
                    EventExpression.Argument.equal("FILE", dir + "/*"), EventExpression.Argument.equal("EVENT", "create")));
            source.jobsChanged(List.of(new JobView("bench", dir.resolve("bench.conf"), Optional.empty(),
                    Optional.of(match), Optional.empty(), List.of(), java.util.Map.of(), List.of())));
            // The watch set is applied asynchronously: wait for a first file to come through.
            Files.createFile(dir.resolve("ready"));
            if (emitted.poll(5, TimeUnit.SECONDS) == null) {
                throw new IllegalStateException("the source never reported the ready file");
            }
            long[] latencies = new long[files];
            for (int i = 0; i < files; i++) {
                // Pace past the coalescing window so each file is a lone change, as a print job is.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(windowMillis + 20));
                long start = System.nanoTime();
                Files.createFile(dir.resolve("f" + i));
                Long at = emitted.poll(5, TimeUnit.SECONDS);
                if (at == null) {
                    throw new IllegalStateException("no event for file " + i);
                }
                latencies[i] = at - start;
            }
            return latencies;
        } finally {
            source.stop();
        }
    }

    private static FilesConfig config(long windowMillis) {
        return new FilesConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return FilesConfig.class;
            }

            @Override
            public long coalesce_millis() {
                return windowMillis;
            }

            @Override
            public int events_per_window() {
                return 16;
            }

            @Override
            public long retry_seconds() {
                return 30;
            }
        };
    }

    private static void print(String label, long[] latencies) {
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        System.out.printf("%-55s n=%d median=%.3f ms p99=%.3f ms max=%.3f ms%n", label, sorted.length,
                sorted[sorted.length / 2] / 1e6, sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }
}
