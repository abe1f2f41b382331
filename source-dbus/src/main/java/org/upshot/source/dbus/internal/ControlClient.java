package org.upshot.source.dbus.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.upshot.control.Command;
import org.upshot.control.Json;
import org.upshot.control.LineFramer;
import org.upshot.control.Protocol;

/**
 * The daemon's control protocol ({@code org.upshot.control}), spoken over its control
 * socket as {@code initctl} speaks it: the one way the engine offers other bundles to
 * start, stop and list jobs. One connection per request, so requests of different
 * D-Bus callers never wait for each other.
 */
final class ControlClient {

    private final Path socket;
    private final AtomicLong ids = new AtomicLong();

    ControlClient(Path socket) {
        this.socket = socket;
    }

    /** A refused request: the protocol's error code and message. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final String code;

        Refused(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** Sends {@code command} with {@code fields} and returns the successful reply. */
    Map<String, Object> request(Command command, Map<String, Object> fields) throws IOException, Refused {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            send(channel, command, fields);
            Map<String, Object> reply = Json.parseObject(readLine(channel, new LineFramer(Protocol.MAX_LINE_BYTES * 64),
                    new ArrayList<>()));
            if (!Boolean.TRUE.equals(reply.get(Protocol.F_OK))) {
                throw new Refused(String.valueOf(reply.get(Protocol.F_CODE)), String.valueOf(reply.get(Protocol.F_MESSAGE)));
            }
            return reply;
        } catch (RuntimeException e) {
            throw new IOException("malformed reply: " + e.getMessage(), e);
        }
    }

    /**
     * Follows the daemon's events until the connection closes or {@code channel} is
     * closed by another thread; calls {@code each} with every event's name and env.
     */
    void follow(SocketChannel channel, Consumer<Map<String, Object>> each) throws IOException {
        channel.connect(UnixDomainSocketAddress.of(socket));
        send(channel, Command.EVENTS, Map.of());
        LineFramer framer = new LineFramer(Protocol.MAX_LINE_BYTES * 64);
        List<String> pending = new ArrayList<>();
        Map<String, Object> first = Json.parseObject(readLine(channel, framer, pending));
        if (!Boolean.TRUE.equals(first.get(Protocol.F_OK))) {
            throw new IOException("events refused: " + first.get(Protocol.F_MESSAGE));
        }
        while (true) {
            Object event = Json.parseObject(readLine(channel, framer, pending)).get(Protocol.F_EVENT);
            if (event instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) map;
                each.accept(typed);
            }
        }
    }

    private void send(SocketChannel channel, Command command, Map<String, Object> fields) throws IOException {
        Map<String, Object> request = new LinkedHashMap<>(Protocol.request(ids.incrementAndGet(), command));
        request.putAll(fields);
        ByteBuffer out = ByteBuffer.wrap((Json.write(request) + "\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    private static String readLine(SocketChannel channel, LineFramer framer, List<String> pending) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(8192);
        while (pending.isEmpty()) {
            in.clear();
            if (channel.read(in) < 0) {
                throw new IOException("the daemon closed the control connection");
            }
            in.flip();
            try {
                pending.addAll(framer.feed(in));
            } catch (LineFramer.LineTooLongException e) {
                throw new IOException("reply too long", e);
            }
        }
        return pending.remove(0);
    }
}
