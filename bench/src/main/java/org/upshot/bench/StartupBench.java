package org.upshot.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Launch of the assembled distribution until it is ready, and the idle daemon's RSS.
 *
 * <pre>
 * java -cp bench/target/classes org.upshot.bench.StartupBench DISTRO_DIR JAVA RUNS READY_REGEX [UPSHOT_JAVA_OPTS]
 * </pre>
 * Each run starts {@code bin/upshot --session --debug} over fresh directories with
 * {@code JAVA} as the JVM, times the wall clock from launch to the first stderr line
 * matching {@code READY_REGEX}, waits two seconds of idleness, reads {@code VmRSS}, and
 * stops the daemon with SIGTERM. Prints each run and the median of both numbers.
 */
public final class StartupBench {
    private static final long IDLE_MILLIS = 2_000;

    private StartupBench() {
    }

    /** One run's measurements. */
    record Sample(double readyMillis, long rssKib) {}

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: StartupBench DISTRO_DIR JAVA RUNS READY_REGEX [UPSHOT_JAVA_OPTS]");
            System.exit(2);
        }
        Path distro = Path.of(args[0]);
        String java = args[1];
        int runs = Integer.parseInt(args[2]);
        Pattern ready = Pattern.compile(args[3]);
        String javaOpts = args.length > 4 ? args[4] : "";
        List<Sample> samples = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            Sample sample = runOnce(distro, java, ready, javaOpts);
            System.out.printf("run %2d: ready %7.1f ms, idle RSS %6.1f MiB%n", run + 1, sample.readyMillis(),
                    sample.rssKib() / 1024.0);
            samples.add(sample);
        }
        System.out.printf("median of %d: ready %.1f ms, idle RSS %.1f MiB (%s %s)%n", runs,
                median(samples, Sample::readyMillis), median(samples, s -> (double) s.rssKib()) / 1024.0,
                java, javaOpts);
    }

    private static Sample runOnce(Path distro, String java, Pattern ready, String javaOpts) throws Exception {
        Path work = Files.createTempDirectory("upshot-bench");
        Files.createDirectories(work.resolve("conf"));
        ProcessBuilder builder = new ProcessBuilder(distro.resolve("bin/upshot").toString(), "--session", "--debug",
                "--confdir", work.resolve("conf").toString(), "--runtime-dir", work.resolve("run").toString(),
                "--log-dir", work.resolve("log").toString())
                .redirectErrorStream(true);
        builder.environment().put("JAVA", java);
        builder.environment().put("UPSHOT_JAVA_OPTS", javaOpts);
        long begin = System.nanoTime();
        Process process = builder.start();
        double readyMillis = -1;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (ready.matcher(line).find()) {
                    readyMillis = (System.nanoTime() - begin) / 1e6;
                    break;
                }
            }
            if (readyMillis < 0) {
                throw new IllegalStateException("daemon exited before /" + ready + "/");
            }
            // Keep draining so the daemon never blocks on a full pipe while idle.
            Thread drain = new Thread(() -> drain(lines));
            drain.setDaemon(true);
            drain.start();
            Thread.sleep(IDLE_MILLIS);
            long rss = rssKib(process.pid());
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return new Sample(readyMillis, rss);
        } finally {
            process.destroyForcibly();
            deleteTree(work);
        }
    }

    private static void drain(BufferedReader lines) {
        try {
            while (lines.readLine() != null) {
                // discard
            }
        } catch (IOException e) {
            // the daemon is gone
        }
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    private static double median(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> value) {
        List<Double> sorted = samples.stream().map(value::applyAsDouble).sorted(Comparator.naturalOrder()).toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
