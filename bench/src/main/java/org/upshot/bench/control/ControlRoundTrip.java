package org.upshot.bench.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Daemon-side cost of control requests, from a warm client JVM on one connection:
 * the median of N {@code stop}+{@code start} cycles of a service, and of N {@code status}
 * requests, in milliseconds. No process start-up is included.
 *
 * <pre>java -cp ... org.upshot.bench.control.ControlRoundTrip SOCKET JOB [N]</pre>
 */
public final class ControlRoundTrip {

    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private long id;

    private ControlRoundTrip(Path socket) throws IOException {
        channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        in.flip();
    }

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        String job = args[1];
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        ControlRoundTrip client = new ControlRoundTrip(socket);
        for (int i = 0; i < 20; i++) { // warm the client and the daemon's paths
            client.call("stop", job);
            client.call("start", job);
        }
        double[] cycles = new double[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            client.call("stop", job);
            client.call("start", job);
            cycles[i] = (System.nanoTime() - start) / 1e6;
        }
        double[] status = new double[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            client.call("status", job);
            status[i] = (System.nanoTime() - start) / 1e6;
        }
        System.out.printf("in-JVM stop+start cycle: median %.2f ms (min %.2f, max %.2f, n=%d)%n",
                median(cycles), min(cycles), max(cycles), n);
        System.out.printf("in-JVM status round trip: median %.3f ms (min %.3f, n=%d)%n",
                median(status), min(status), n);
    }

    private String call(String command, String job) throws IOException {
        String request = "{\"v\":1,\"id\":" + (++id) + ",\"cmd\":\"" + command + "\",\"job\":\"" + job + "\"}\n";
        ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            channel.write(out);
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b == '\n') {
                    String reply = line.toString(StandardCharsets.UTF_8);
                    if (!reply.contains("\"ok\":true")) {
                        throw new IOException(command + " failed: " + reply);
                    }
                    return reply;
                }
                line.write(b);
            }
            in.clear();
            if (channel.read(in) < 0) {
                throw new IOException("daemon closed the connection");
            }
            in.flip();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(0);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(0);
    }
}
