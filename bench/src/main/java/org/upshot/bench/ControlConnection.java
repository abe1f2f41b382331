package org.upshot.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A bench harness's client of a daemon's control socket ({@code docs/control-protocol.md}):
 * JSON lines written by hand, JDK classes only, no JVM start per request as with
 * {@code initctl}. Requests go one after another on one connection, each answered before
 * the next is sent. Not thread-safe.
 */
final class ControlConnection implements AutoCloseable {

    private final SocketChannel channel;
    private final InputStream in;
    private int id;

    ControlConnection(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        in = new BufferedInputStream(Channels.newInputStream(channel));
    }

    /** One request with {@code "wait":true} ({@code job} null: none); the reply line. */
    String request(String command, String job) throws IOException {
        String request = "{\"v\":1,\"id\":" + ++id + ",\"cmd\":\"" + command + "\""
                + (job == null ? "" : ",\"job\":\"" + job + "\",\"wait\":true") + "}\n";
        channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
        StringBuilder reply = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the daemon closed the control connection during " + command
                        + (job == null ? "" : " " + job));
            }
            reply.append((char) c);
        }
        return reply.toString();
    }

    /** One request on a connection of its own. */
    static String once(Path socket, String command, String job) throws IOException {
        try (ControlConnection connection = new ControlConnection(socket)) {
            return connection.request(command, job);
        }
    }

    static boolean ok(String reply) {
        return reply.contains("\"ok\":true");
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
