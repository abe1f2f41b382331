package org.upshot.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The one client of {@code bench/socket-activation.sh}, the same for every contender
 * (Upshot, {@code systemd-socket-activate}, {@code tcpserver}); the script starts the
 * contenders, this measures them. JDK classes only, so it runs from
 * {@code bench/target/classes}. Each subcommand prints one {@code RESULT} line of
 * {@code key=value} words (times in ms) that the script turns into the table.
 *
 * <pre>
 * latency N WARMUP GAP_MS CONTENDER [--and CONTENDER]...
 *     CONTENDER: PORT [--stop CONTROL_SOCKET JOB | --start CONTROL_SOCKET JOB | --spawn ARGV...]
 *     connect -> first reply byte, N samples of each after WARMUP, taken in turn (one of
 *     each contender, then the next), GAP_MS apart; one RESULT line per contender.
 *     --stop: before each sample, stop JOB over the control socket and wait until it is
 *     waiting (what `initctl stop JOB` does, without a JVM start); --start: start it and
 *     wait until it runs, if it is not running;
 *     --spawn: before each sample, start ARGV and wait until PORT is listening; after it,
 *     end it (SIGTERM to its pid, then wait).
 * throughput PORT N PARALLEL [BURST PAUSE_MS]
 *     N connections, PARALLEL at a time: connect, send "ping\n", read the echo, close.
 *     With BURST, connections go in bursts of BURST with PAUSE_MS between them, and the
 *     rate is the one within bursts. A connection that gets no echo in 5 s stops the run.
 * burst PORT CLIENTS [--stop CONTROL_SOCKET JOB | --start CONTROL_SOCKET JOB | --spawn ARGV...]
 *     CLIENTS non-blocking connects at once (one thread, one selector), each reading one
 *     line; counts served, refused, reset/closed without a line and timed out (30 s).
 * ctl CONTROL_SOCKET CMD JOB      one control request (start, stop, status), reply printed
 * </pre>
 */
public final class SocketActivationBench {

    private static final int READ_TIMEOUT_MS = 5_000;
    private static final int BURST_TIMEOUT_MS = 30_000;

    private SocketActivationBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        List<String> rest = List.of(args).subList(1, args.length);
        switch (args[0]) {
            case "latency" -> latency(rest);
            case "throughput" -> throughput(rest);
            case "burst" -> burst(rest);
            case "ctl" -> System.out.println(control(Path.of(rest.get(0)), rest.get(1), rest.get(2)));
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: SocketActivationBench latency|throughput|burst|ctl ... (see the class comment)");
        System.exit(2);
    }

    // ---- connect -> first byte ---------------------------------------------------------

    private static void latency(List<String> args) throws Exception {
        int samples = Integer.parseInt(args.get(0));
        int warmup = Integer.parseInt(args.get(1));
        long gapNanos = TimeUnit.MILLISECONDS.toNanos(Integer.parseInt(args.get(2)));
        List<Integer> ports = new ArrayList<>();
        List<Preparation> preparations = new ArrayList<>();
        List<String> rest = args.subList(3, args.size());
        while (!rest.isEmpty()) {
            int and = rest.indexOf("--and");
            List<String> contender = and < 0 ? rest : rest.subList(0, and);
            ports.add(Integer.parseInt(contender.get(0)));
            preparations.add(Preparation.of(ports.get(ports.size() - 1), contender.subList(1, contender.size())));
            rest = and < 0 ? List.of() : rest.subList(and + 1, rest.size());
        }
        double[][] millis = new double[ports.size()][samples];
        // sample by sample, contender after contender: a change in the machine's load hits all alike
        for (int i = -warmup; i < samples; i++) {
            for (int c = 0; c < ports.size(); c++) {
                LockSupport.parkNanos(gapNanos);
                double sample = firstByte(ports.get(c), preparations.get(c));
                if (i >= 0) {
                    millis[c][i] = sample;
                }
            }
        }
        for (double[] contender : millis) {
            Arrays.sort(contender);
            System.out.printf(Locale.ROOT, "RESULT n=%d median=%.2f p90=%.2f min=%.2f max=%.2f%n", samples,
                    contender[samples / 2], Stats.percentile(contender, 0.90), contender[0], contender[samples - 1]);
        }
    }

    /** One sample: connect until the first byte of the reply, in ms. */
    private static double firstByte(int port, Preparation preparation) throws Exception {
        preparation.before();
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(READ_TIMEOUT_MS);
            long start = System.nanoTime();
            socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
            int first = socket.getInputStream().read();
            long elapsed = System.nanoTime() - start;
            if (first != 'h') {
                throw new IllegalStateException("port " + port + ": expected the service's \"hello\", got " + first);
            }
            return elapsed / 1e6;
        } finally {
            preparation.after();
        }
    }

    /** What happens around each sample: nothing, a stop over the control socket, or a fresh process. */
    private interface Preparation {
        void before() throws Exception;

        default void after() throws Exception {}

        static Preparation of(int port, List<String> args) {
            if (args.isEmpty()) {
                return () -> {};
            }
            if (args.get(0).equals("--stop")) {
                Path socket = Path.of(args.get(1));
                String job = args.get(2);
                return () -> stopAndWait(socket, job);
            }
            if (args.get(0).equals("--start")) {
                Path socket = Path.of(args.get(1));
                String job = args.get(2);
                return () -> startAndWait(socket, job);
            }
            if (args.get(0).equals("--spawn")) {
                return new Spawn(port, args.subList(1, args.size()));
            }
            throw new IllegalArgumentException("expected --stop, --start or --spawn, got " + args.get(0));
        }
    }

    /** A contender started fresh for each sample (systemd-socket-activate execs into the service). */
    private static final class Spawn implements Preparation {
        private final int port;
        private final List<String> command;
        private Process process;

        Spawn(int port, List<String> command) {
            this.port = port;
            this.command = command;
        }

        @Override
        public void before() throws Exception {
            // A harness, not the daemon: ProcessBuilder is fine here.
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Harness.await(() -> listening(port) || !process.isAlive(), 10, "port " + port + " listening", 500_000);
            if (!process.isAlive()) {
                throw new IllegalStateException(command + " exited with " + process.exitValue());
            }
        }

        @Override
        public void after() throws Exception {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            // the next sample binds the same port: wait until this one's listener is gone
            Harness.await(() -> !listening(port), 10, "port " + port + " closed", 500_000);
        }
    }

    /** Whether something listens on 127.0.0.1:port (IPv4 table of /proc/net/tcp, state 0A). */
    static boolean listening(int port) {
        String local = String.format(Locale.ROOT, "0100007F:%04X", port);
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 3 && fields[1].equals(local) && fields[3].equals("0A")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- accept-mode throughput --------------------------------------------------------

    private static void throughput(List<String> args) throws Exception {
        int port = Integer.parseInt(args.get(0));
        int total = Integer.parseInt(args.get(1));
        int parallel = Integer.parseInt(args.get(2));
        int burst = args.size() > 3 ? Integer.parseInt(args.get(3)) : total;
        long pauseNanos = args.size() > 4 ? TimeUnit.MILLISECONDS.toNanos(Integer.parseInt(args.get(4))) : 0;
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        warmUpEcho();
        Map<String, AtomicInteger> failures = new TreeMap<>();
        AtomicBoolean stalled = new AtomicBoolean();
        int done = 0;
        long busyNanos = 0;
        long firstStall = -1;
        long runStart = System.nanoTime();
        for (int sent = 0; sent < total && !stalled.get(); sent += burst) {
            if (sent > 0) {
                LockSupport.parkNanos(pauseNanos);
            }
            int count = Math.min(burst, total - sent);
            AtomicInteger next = new AtomicInteger();
            AtomicInteger served = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < parallel; t++) {
                Thread thread = new Thread(() -> {
                    while (!stalled.get() && next.getAndIncrement() < count) {
                        String failure = echoOnce(address);
                        if (failure == null) {
                            served.incrementAndGet();
                        } else {
                            synchronized (failures) {
                                failures.computeIfAbsent(failure, f -> new AtomicInteger()).incrementAndGet();
                            }
                            if (failure.equals("timeout")) {
                                stalled.set(true);
                            }
                        }
                    }
                }, "client-" + t);
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            busyNanos += System.nanoTime() - start;
            done += served.get();
            if (stalled.get()) {
                // the stalled connection waited READ_TIMEOUT_MS for nothing: not part of the rate
                busyNanos -= TimeUnit.MILLISECONDS.toNanos(READ_TIMEOUT_MS);
                firstStall = System.nanoTime() - runStart - TimeUnit.MILLISECONDS.toNanos(READ_TIMEOUT_MS);
            }
        }
        StringBuilder failed = new StringBuilder();
        failures.forEach((kind, n) -> failed.append(failed.length() == 0 ? "" : ",").append(kind).append(':').append(n));
        System.out.printf(Locale.ROOT, "RESULT served=%d of=%d parallel=%d burst=%d rate=%.0f failures=%s stalled_after_ms=%s%n",
                done, total, parallel, burst, done / (busyNanos / 1e9), failed.length() == 0 ? "none" : failed,
                firstStall < 0 ? "-" : String.format(Locale.ROOT, "%.0f", firstStall / 1e6));
    }

    /** The client's own path compiled before it is timed: connections to an echo of its own. */
    private static void warmUpEcho() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread echo = new Thread(() -> {
                ByteBuffer line = ByteBuffer.allocate(5);
                try {
                    while (true) {
                        try (SocketChannel connection = server.accept()) {
                            line.clear();
                            while (line.hasRemaining() && connection.read(line) >= 0) {
                                // until the whole line is in
                            }
                            connection.write(line.flip());
                        }
                    }
                } catch (IOException e) {
                    // the server closed: warm-up over
                }
            }, "warm-up echo");
            echo.start();
            for (int i = 0; i < 500; i++) {
                String failure = echoOnce((InetSocketAddress) server.getLocalAddress());
                if (failure != null) {
                    throw new IllegalStateException("warm-up: " + failure);
                }
            }
        }
    }

    /** One connection: null when the echo came back, else what went wrong. */
    private static String echoOnce(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.connect(address, READ_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write("ping\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] line = new byte[5];
            int got = 0;
            while (got < line.length) {
                int n = in.read(line, got, line.length - got);
                if (n < 0) {
                    return "closed";
                }
                got += n;
            }
            return new String(line, StandardCharsets.US_ASCII).equals("ping\n") ? null : "garbled";
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (ConnectException e) {
            return "refused";
        } catch (IOException e) {
            return "reset";
        }
    }

    // ---- many clients at once ----------------------------------------------------------

    private static void burst(List<String> args) throws Exception {
        int port = Integer.parseInt(args.get(0));
        int clients = Integer.parseInt(args.get(1));
        Preparation preparation = Preparation.of(port, args.subList(2, args.size()));
        warmUpBurst(clients);
        preparation.before();
        BurstResult result;
        try {
            result = burstRound(new InetSocketAddress("127.0.0.1", port), clients);
        } finally {
            preparation.after();
        }
        System.out.printf(Locale.ROOT, "RESULT clients=%d served=%d refused=%d closed=%d timed_out=%d "
                + "connects_ms=%.1f first_ms=%.1f last_ms=%.1f%n", clients, result.served, result.refused,
                result.closed, clients - result.served - result.refused - result.closed, result.connectsNanos / 1e6,
                result.firstServedNanos / 1e6, result.lastServedNanos / 1e6);
    }

    /** The client's own path compiled before it is timed: rounds against a listener of its own. */
    private static void warmUpBurst(int clients) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0), clients);
            Thread acceptor = new Thread(() -> {
                ByteBuffer hello = ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.US_ASCII));
                try {
                    while (true) {
                        try (SocketChannel connection = server.accept()) {
                            connection.write(hello.duplicate());
                        }
                    }
                } catch (IOException e) {
                    // the server closed: warm-up over
                }
            }, "warm-up acceptor");
            acceptor.start();
            for (int round = 0; round < 3; round++) {
                BurstResult result = burstRound((InetSocketAddress) server.getLocalAddress(), clients);
                if (result.served != clients) {
                    throw new IllegalStateException("warm-up: " + result.served + " of " + clients + " served");
                }
            }
        }
    }

    /** What one burst came to; times from its first connect. */
    private record BurstResult(int served, int refused, int closed, long connectsNanos, long firstServedNanos,
            long lastServedNanos) {}

    private static BurstResult burstRound(InetSocketAddress address, int clients) throws IOException {
        int served = 0;
        int refused = 0;
        int closed = 0;
        long firstServed = -1;
        long lastServed = -1;
        long connects;
        try (Selector selector = Selector.open()) {
            long start = System.nanoTime();
            for (int i = 0; i < clients; i++) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                boolean connected = channel.connect(address);
                channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT,
                        ByteBuffer.allocate(64));
            }
            connects = System.nanoTime() - start;
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(BURST_TIMEOUT_MS);
            int pending = clients;
            while (pending > 0 && System.nanoTime() < deadline) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    String outcome = null;
                    try {
                        if (key.isConnectable()) {
                            channel.finishConnect();
                            key.interestOps(SelectionKey.OP_READ);
                            continue;
                        }
                        ByteBuffer buffer = (ByteBuffer) key.attachment();
                        int n = channel.read(buffer);
                        if (buffer.position() > 0 && buffer.get(buffer.position() - 1) == '\n') {
                            outcome = "served";
                        } else if (n < 0) {
                            outcome = "closed";
                        }
                    } catch (ConnectException e) {
                        outcome = "refused";
                    } catch (IOException e) {
                        outcome = "closed";
                    }
                    if (outcome != null) {
                        long now = System.nanoTime() - start;
                        switch (outcome) {
                            case "served" -> {
                                served++;
                                firstServed = firstServed < 0 ? now : firstServed;
                                lastServed = now;
                            }
                            case "refused" -> refused++;
                            default -> closed++;
                        }
                        pending--;
                        key.cancel();
                        channel.close();
                    }
                }
                selector.selectedKeys().clear();
            }
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
        }
        return new BurstResult(served, refused, closed, connects, firstServed, lastServed);
    }

    // ---- the Upshot daemon's control socket ----------------------------------------------

    /** Stops {@code job} and returns once it is waiting; a job already stopped (no instance) is fine. */
    private static void stopAndWait(Path socket, String job) throws IOException {
        String reply = control(socket, "stop", job);
        if (!ControlConnection.ok(reply) && !reply.contains("ALREADY_STOPPED")
                && !reply.contains("UNKNOWN_INSTANCE")) {
            throw new IllegalStateException("stop " + job + ": " + reply);
        }
    }

    /** Starts {@code job} and returns once it is running; a job already running is fine. */
    private static void startAndWait(Path socket, String job) throws IOException {
        String reply = control(socket, "start", job);
        if (!ControlConnection.ok(reply) && !reply.contains("ALREADY_RUNNING")) {
            throw new IllegalStateException("start " + job + ": " + reply);
        }
    }

    /** One request with {@code "wait":true}; the reply line. */
    static String control(Path socket, String command, String job) throws IOException {
        return ControlConnection.once(socket, command, job);
    }

    // ---- helpers --------------------------------------------------------------------------
}
