package org.upshot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Latency from creating a file in a queue directory to the main process of the job
 * waiting for it running, in a booted daemon (the assembled distribution, session mode):
 *
 * <pre>
 * start on (file FILE=QUEUE/* EVENT=create) or (startup and idle)
 * script
 *   echo "$$" &gt; OUT     # one write(2), by the main process itself
 *   exec sleep 1000
 * end script
 * </pre>
 *
 * Each round creates one file, waits for the pid file to name a new process, records
 * the time, kills the process and waits for the job to return to {@code waiting}. Rounds
 * are paced past the coalescing window (100 ms) so each file is a lone change.
 *
 * <p>Run after {@code mvn -o -q -B package -DskipTests}:
 * {@code java -cp bench/target/classes org.upshot.bench.FilesJobLatencyBench [files] [distro-dir]}
 */
public final class FilesJobLatencyBench {

    private FilesJobLatencyBench() {}

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Path distro = Path.of(args.length > 1 ? args[1] : "distro/target/upshot-0.1.0").toAbsolutePath();
        Path work = Files.createTempDirectory("upshot-files-job-bench");
        Process daemon = null;
        try {
            Path queue = Files.createDirectories(work.resolve("queue"));
            Path conf = Files.createDirectories(work.resolve("conf"));
            Path plugins = Files.createDirectories(work.resolve("plugins"));
            Path out = work.resolve("cups.pid");
            try (Stream<Path> jars = Files.list(distro.resolve("plugins"))) {
                for (Path jar : jars.toList()) {
                    Files.copy(jar, plugins.resolve(jar.getFileName()));
                }
            }
            Files.writeString(conf.resolve("cups.conf"), "start on (file FILE=" + queue
                    + "/* EVENT=create) or (startup and idle)\nscript\n  echo \"$$\" > " + out
                    + "\n  exec sleep 1000\nend script\n");
            Path log = work.resolve("daemon.log");
            daemon = new ProcessBuilder(distro.resolve("bin/upshot").toString(), "--session", "--debug",
                    "--plugin-dir", plugins.toString(), "--runtime-dir", work.resolve("run").toString(),
                    "--confdir", conf.toString(), "--log-dir", work.resolve("log").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Harness.await(() -> contains(log, "started in session mode"), 60, "daemon start", 200_000);
            Harness.await(() -> contains(log, "started org.upshot.source-files"), 60, "files source", 200_000);

            long[] latencies = new long[files + 10];
            long lastPid = 0;
            for (int i = 0; i < latencies.length; i++) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(120));
                long start = System.nanoTime();
                Files.createFile(queue.resolve("c" + i));
                long previous = lastPid;
                long[] pid = {0};
                Harness.await(() -> (pid[0] = readPid(out)) != previous && pid[0] != 0, 10, "job start " + i, 200_000);
                latencies[i] = System.nanoTime() - start;
                lastPid = pid[0];
                ProcessHandle process = ProcessHandle.of(pid[0]).orElseThrow();
                process.destroy();
                int round = i + 1;
                Harness.await(() -> Harness.count(log, "cups state changed from post-stop to waiting") >= round, 10,
                        "job stop " + i, 200_000);
            }
            // The first ten rounds warm the JIT up.
            print("file created -> job main process running", Arrays.copyOfRange(latencies, 10, latencies.length));
        } finally {
            if (daemon != null) {
                daemon.destroy();
                daemon.waitFor(20, TimeUnit.SECONDS);
            }
            try (Stream<Path> paths = Files.walk(work)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static long readPid(Path file) {
        try {
            String text = Files.readString(file).trim();
            return text.isEmpty() ? 0 : Long.parseLong(text);
        } catch (NoSuchFileException | NumberFormatException e) {
            return 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean contains(Path log, String text) {
        return Harness.count(log, text) > 0;
    }

    static void print(String label, long[] latencies) {
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        System.out.printf("%-55s n=%d median=%.3f ms p99=%.3f ms max=%.3f ms%n", label, sorted.length,
                sorted[sorted.length / 2] / 1e6, sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }
}
