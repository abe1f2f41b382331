package org.upshot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The numbers of {@code bench/timer.sh}, which runs the daemon and Debian's cron.
 *
 * <pre>
 * TimerBench latency FILE    # lines "LABEL SLOT_EPOCH_SECONDS RUN_EPOCH_NANOS": per label, slot -> run
 * TimerBench idle PID SECONDS  # RSS and CPU of a loaded, idle daemon over SECONDS
 * </pre>
 *
 * A slot is the time the schedule names (Upshot's {@code TIME}, cron's minute); the run
 * time is taken by the task's first command, so the latency covers the scheduler, the
 * event, the job's start and the spawn.
 */
public final class TimerBench {

    private TimerBench() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "latency" -> latency(Path.of(args[1]));
            case "idle" -> idle(Long.parseLong(args[1]), Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("usage: TimerBench latency FILE | idle PID SECONDS");
        }
    }

    private static void latency(Path file) throws IOException {
        Map<String, List<Double>> byLabel = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.split(" ");
            long slotNanos = TimeUnit.SECONDS.toNanos(slotSeconds(fields[1]));
            double millis = (Long.parseLong(fields[2]) - slotNanos) / 1e6;
            byLabel.computeIfAbsent(fields[0], label -> new ArrayList<>()).add(millis);
        }
        System.out.printf(Locale.ROOT, "| %-34s | %5s | %9s | %9s | %9s | %9s |%n", "schedule", "fires", "median",
                "p99", "min", "max");
        System.out.println("|---|---|---|---|---|---|");
        byLabel.forEach((label, values) -> {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "| %-34s | %5d | %6.1f ms | %6.1f ms | %6.1f ms | %6.1f ms |%n", label,
                    sorted.length, Stats.median(sorted), Stats.percentile(sorted, 0.99), sorted[0],
                    sorted[sorted.length - 1]);
        });
    }

    /** An epoch second, or Upshot's ISO-8601 {@code TIME}. */
    private static long slotSeconds(String text) {
        return text.contains("T") ? OffsetDateTime.parse(text).toEpochSecond() : Long.parseLong(text);
    }

    private static void idle(long pid, int seconds) {
        Map<Long, ProcStat.Task> threadsBefore = ProcStat.tasks(pid);
        long ticksBefore = ProcStat.processTicks(pid);
        long start = System.nanoTime();
        Harness.await(() -> System.nanoTime() - start >= TimeUnit.SECONDS.toNanos(seconds), seconds + 1,
                "the measuring window", TimeUnit.MILLISECONDS.toNanos(200));
        long ticks = ProcStat.processTicks(pid) - ticksBefore;
        double cpuSeconds = ticks / (double) ProcStat.TICKS_PER_SECOND;
        System.out.printf(Locale.ROOT, "RSS %.1f MiB (peak %.1f MiB), CPU %.2f s in %d s = %.2f %% of one CPU,"
                + " threads %d%n", ProcStat.statusKb(pid, "VmRSS") / 1024.0, ProcStat.statusKb(pid, "VmHWM") / 1024.0,
                cpuSeconds, seconds, 100 * cpuSeconds / seconds, ProcStat.tasks(pid).size());
        System.out.println("busiest threads in the window: " + busiest(threadsBefore, ProcStat.tasks(pid)));
    }

    /** The three threads that took the most CPU between the two looks. */
    private static List<String> busiest(Map<Long, ProcStat.Task> before, Map<Long, ProcStat.Task> after) {
        List<String> busiest = new ArrayList<>();
        after.entrySet().stream()
                .map(entry -> new ProcStat.Task(entry.getValue().comm(), entry.getValue().ticks()
                        - before.getOrDefault(entry.getKey(), new ProcStat.Task("", 0)).ticks()))
                .filter(task -> task.ticks() > 0).sorted((a, b) -> Long.compare(b.ticks(), a.ticks())).limit(3)
                .forEach(task -> busiest.add(task.comm() + " " + task.ticks() / (double) ProcStat.TICKS_PER_SECOND
                        + " s"));
        return busiest;
    }
}
