package org.upshot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The client of {@code bench/readiness.sh}: the script writes the job files and boots the
 * daemon, this drives it over its control socket ({@link ControlConnection}) and, for one
 * way of starting a chain, through {@code bin/initctl}. JDK classes only. Each measure is
 * one {@code RESULT} line of {@code key=value} words, times in ms, that the script turns
 * into its tables.
 *
 * <pre>
 * ready CONTROL_SOCKET WORK SAMPLES WARMUP NOTIFY_JOB STOP_JOB
 *     Starts the two jobs in turn (NOTIFY_JOB, STOP_JOB, NOTIFY_JOB, ...), SAMPLES each
 *     after WARMUP each, stopping each again before the next start. The job's process
 *     (WORK/sender.py) writes CLOCK_MONOTONIC in ns to WORK/stamp-notify or WORK/stamp-stop
 *     right before its sendto of READY=1 or its SIGSTOP to itself; System.nanoTime() reads
 *     the same clock. Four RESULT lines: for each job, ready (stamp -> start returned) and
 *     start (start sent -> returned).
 * chain CONTROL_SOCKET INITCTL PREFIX N ROUNDS
 *     PREFIX001 .. PREFIX{N}, each needing the one before. Each round, in this order, with
 *     every job stopped before each way (stop of PREFIX001, which stops the rest first):
 *     one start request of the top one; N start requests on one connection, bottom first,
 *     each answered before the next; N `INITCTL start` processes, bottom first; one
 *     `INITCTL start` of the top one. A RESULT line for each way and one for the stops.
 * </pre>
 */
public final class ReadinessBench {

    private static final int LOAD_TIMEOUT_SECONDS = 60;

    private ReadinessBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        switch (args[0]) {
            case "ready" -> ready(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), List.of(args[5], args[6]));
            case "chain" -> chain(Path.of(args[1]), Path.of(args[2]), args[3], Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: ReadinessBench ready|chain ... (see the class comment)");
        System.exit(2);
    }

    // ---- READY=1 and SIGSTOP -> start returned ----------------------------------------------

    private static void ready(Path socket, Path work, int samples, int warmup, List<String> jobs) throws IOException {
        awaitLoaded(socket, jobs);
        double[][] ready = new double[jobs.size()][samples];
        double[][] start = new double[jobs.size()][samples];
        // sample by sample, job after job: a change in the machine's load hits both alike
        for (int i = -warmup; i < samples; i++) {
            for (int j = 0; j < jobs.size(); j++) {
                String job = jobs.get(j);
                Path stamp = work.resolve("stamp-" + job);
                Files.deleteIfExists(stamp);
                long requested = System.nanoTime();
                String reply = ControlConnection.once(socket, "start", job);
                long returned = System.nanoTime();
                check(reply, "start " + job);
                long said = Long.parseLong(Files.readString(stamp).strip());
                if (said < requested || said > returned) {
                    throw new IllegalStateException(job + ": its stamp " + said + " is not between the request ("
                            + requested + ") and the reply (" + returned + "): not the same clock?");
                }
                check(ControlConnection.once(socket, "stop", job), "stop " + job);
                if (i >= 0) {
                    ready[j][i] = (returned - said) / 1e6;
                    start[j][i] = (returned - requested) / 1e6;
                }
            }
        }
        for (int j = 0; j < jobs.size(); j++) {
            result("ready", jobs.get(j), ready[j]);
            result("start", jobs.get(j), start[j]);
        }
    }

    private static void result(String what, String job, double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "RESULT what=%s job=%s n=%d median=%.3f p90=%.3f p99=%.3f min=%.3f max=%.3f%n",
                what, job, sorted.length, Stats.median(sorted), Stats.percentile(sorted, 0.90),
                Stats.percentile(sorted, 0.99), sorted[0], sorted[sorted.length - 1]);
    }

    // ---- a needs chain -------------------------------------------------------------------------

    /** The ways of starting the chain, in the order each round runs them. */
    private enum Way {
        ONE_REQUEST, REQUESTS_ONE_CONNECTION, INITCTL_EACH, INITCTL_ONE;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private static void chain(Path socket, Path initctl, String prefix, int n, int rounds) throws Exception {
        List<String> jobs = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            jobs.add(String.format(Locale.ROOT, "%s%03d", prefix, i));
        }
        awaitLoaded(socket, List.of(jobs.get(0), jobs.get(n - 1)));
        // the daemon runs C1 only: one untimed pass over the control-socket ways first
        for (Way way : List.of(Way.ONE_REQUEST, Way.REQUESTS_ONE_CONNECTION)) {
            start(way, socket, initctl, jobs);
            stopAll(socket, jobs);
        }
        double[][] millis = new double[Way.values().length][rounds];
        double[] stops = new double[rounds * Way.values().length];
        for (int r = 0; r < rounds; r++) {
            for (Way way : Way.values()) {
                long begin = System.nanoTime();
                start(way, socket, initctl, jobs);
                millis[way.ordinal()][r] = (System.nanoTime() - begin) / 1e6;
                int running = Harness.count(ControlConnection.once(socket, "list", null), "\"state\":\"running\"");
                if (running != n) {
                    throw new IllegalStateException(way.label() + ": " + running + " of " + n + " jobs running");
                }
                stops[r * Way.values().length + way.ordinal()] = stopAll(socket, jobs);
            }
        }
        for (Way way : Way.values()) {
            roundsResult(way.label(), millis[way.ordinal()]);
        }
        roundsResult("stop-bottom", stops);
    }

    private static void start(Way way, Path socket, Path initctl, List<String> jobs) throws Exception {
        String top = jobs.get(jobs.size() - 1);
        switch (way) {
            case ONE_REQUEST -> check(ControlConnection.once(socket, "start", top), "start " + top);
            case REQUESTS_ONE_CONNECTION -> {
                try (ControlConnection connection = new ControlConnection(socket)) {
                    for (String job : jobs) {
                        check(connection.request("start", job), "start " + job);
                    }
                }
            }
            case INITCTL_EACH -> {
                for (String job : jobs) {
                    initctl(initctl, socket, "start", job);
                }
            }
            case INITCTL_ONE -> initctl(initctl, socket, "start", top);
        }
    }

    /** Stops the bottom job, which stops every job above it first; ms until the reply. */
    private static double stopAll(Path socket, List<String> jobs) throws IOException {
        long begin = System.nanoTime();
        check(ControlConnection.once(socket, "stop", jobs.get(0)), "stop " + jobs.get(0));
        double millis = (System.nanoTime() - begin) / 1e6;
        String list = ControlConnection.once(socket, "list", null);
        if (Harness.count(list, "\"state\":") != 0) {
            throw new IllegalStateException("instances left after stop " + jobs.get(0) + ": " + list);
        }
        return millis;
    }

    private static void initctl(Path initctl, Path socket, String command, String job) throws Exception {
        // A harness, not the daemon: ProcessBuilder is fine here.
        ProcessBuilder builder = new ProcessBuilder(initctl.toString(), command, job).redirectErrorStream(true);
        builder.environment().put("UPSHOT_SOCKET", socket.toString());
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        int status = process.waitFor();
        if (status != 0) {
            throw new IllegalStateException("initctl " + command + " " + job + " exited with " + status + ": "
                    + new String(output, java.nio.charset.StandardCharsets.UTF_8).strip());
        }
    }

    private static void roundsResult(String way, double[] millis) {
        StringJoiner each = new StringJoiner(",");
        for (double value : millis) {
            each.add(String.format(Locale.ROOT, "%.1f", value));
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "RESULT what=chain way=%s n=%d median=%.1f min=%.1f max=%.1f each=%s%n", way,
                millis.length, Stats.median(sorted), sorted[0], sorted[sorted.length - 1], each);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Waits until the daemon answers {@code status} for each job: its configuration is loaded. */
    private static void awaitLoaded(Path socket, List<String> jobs) {
        Harness.await(() -> {
            try {
                for (String job : jobs) {
                    if (!ControlConnection.ok(ControlConnection.once(socket, "status", job))) {
                        return false;
                    }
                }
                return true;
            } catch (IOException e) {
                return false;  // the control socket is not there yet
            }
        }, LOAD_TIMEOUT_SECONDS, "the daemon to load " + jobs, 50_000_000);
    }

    private static void check(String reply, String what) {
        if (!ControlConnection.ok(reply)) {
            throw new IllegalStateException(what + ": " + reply);
        }
    }
}
