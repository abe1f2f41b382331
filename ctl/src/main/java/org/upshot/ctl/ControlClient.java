package org.upshot.ctl;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.upshot.control.Json;

/**
 * One blocking connection to the control socket, speaking line-delimited JSON.
 * Deliberately plain (initctl's own native socket where it was built, else the JDK's
 * Unix sockets; no readers or charsets beyond UTF-8 byte decoding) because
 * {@code initctl}'s start time is dominated by class loading and initialisation.
 */
final class ControlClient implements Closeable {

    private final ByteChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(8192);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);

    private ControlClient(ByteChannel channel) {
        this.channel = channel;
        buffer.flip();
    }

    static ControlClient connect(Path socket) throws IOException {
        return new ControlClient(NativeUnixChannel.available() ? NativeUnixChannel.connect(socket)
                : SocketChannel.open(UnixDomainSocketAddress.of(socket)));
    }

    void send(Map<String, Object> message) throws IOException {
        byte[] bytes = Json.write(message).concat("\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.wrap(bytes);
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    /** The next message, or {@code null} when the daemon closed the connection. */
    Map<String, Object> receive() throws IOException {
        String text = receiveLine();
        return text == null ? null : Json.parseObject(text);
    }

    /** The next line as sent, without its newline, or {@code null} when the daemon closed the connection. */
    String receiveLine() throws IOException {
        line.reset();
        while (true) {
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    return new String(line.toByteArray(), StandardCharsets.UTF_8);
                }
                line.write(b);
            }
            buffer.clear();
            int count = channel.read(buffer);
            buffer.flip();
            if (count < 0) {
                return null;
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
