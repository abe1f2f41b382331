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
 * The job directory holds one task, {@code ready}, started on {@code startup}: the
 * regex {@code "ready goal changed from stop to start"} marks {@code startup} handled.
 * Each run starts {@code bin/upshot --session --debug} over fresh directories with
 * {@code JAVA} as the JVM, times the wall clock from launch to the first stderr line
 * matching {@code READY_REGEX} (and the CPU time the daemon used until then, which
 * load on the machine does not inflate), waits two seconds of idleness, reads {@code VmRSS}, and
 * stops the daemon with SIGTERM. Prints each run and the median of both numbers.
 */
public final class StartupBench {
    private static final long IDLE_MILLIS = 2_000;

    private StartupBench() {
    }

    /** One run's measurements. */
    record Sample(double readyMillis, double cpuMillis, long rssKib) {}

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
            System.out.printf("run %2d: ready %7.1f ms wall, %7.1f ms CPU, idle RSS %6.1f MiB%n", run + 1,
                    sample.readyMillis(), sample.cpuMillis(), sample.rssKib() / 1024.0);
            samples.add(sample);
        }
        System.out.printf("median of %d: ready %.1f ms wall, %.1f ms CPU, idle RSS %.1f MiB (%s %s)%n", runs,
                median(samples, Sample::readyMillis), median(samples, Sample::cpuMillis),
                median(samples, s -> (double) s.rssKib()) / 1024.0, java, javaOpts);
    }

    private static Sample runOnce(Path distro, String java, Pattern ready, String javaOpts) throws Exception {
        Path work = Files.createTempDirectory("upshot-bench");
        // The first job started by `startup` marks the moment the event was handled.
        Files.writeString(Files.createDirectories(work.resolve("conf")).resolve("ready.conf"),
                "start on startup\ntask\nexec true\n");
        ProcessBuilder builder = new ProcessBuilder(distro.resolve("bin/upshot").toString(), "--session", "--debug",
                "--confdir", work.resolve("conf").toString(), "--runtime-dir", work.resolve("run").toString(),
                "--log-dir", work.resolve("log").toString())
                .redirectErrorStream(true);
        builder.environment().put("JAVA", java);
        builder.environment().put("UPSHOT_JAVA_OPTS", javaOpts);
        long begin = System.nanoTime();
        Process process = builder.start();
        double readyMillis = -1;
        double cpuMillis = -1;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (ready.matcher(line).find()) {
                    readyMillis = (System.nanoTime() - begin) / 1e6;
                    cpuMillis = cpuMillis(process.pid());
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
            return new Sample(readyMillis, cpuMillis, rss);
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

    /** user + system CPU time so far (clock ticks of 10 ms): a load-independent cost of start-up. */
    private static double cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0;
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
