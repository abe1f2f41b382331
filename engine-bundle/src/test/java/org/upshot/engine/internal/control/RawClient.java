package org.upshot.engine.internal.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.upshot.control.Json;

/** A test client that sends exactly the bytes it is given; reads block (tests carry @Timeout). */
final class RawClient implements AutoCloseable {

    final SocketChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

    RawClient(Path socket) throws IOException {
        channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        buffer.flip();
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    /** The next line, or null at end of stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
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

    Map<String, Object> reply() throws IOException {
        String line = readLine();
        if (line == null) {
            throw new IOException("connection closed before a reply");
        }
        return Json.parseObject(line);
    }

    /** True once the server has closed the connection (after any queued lines). */
    boolean closedByServer() throws IOException {
        try {
            while (true) {
                if (readLine() == null) {
                    return true;
                }
            }
        } catch (IOException e) {
            return true; // reset by peer also means closed
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
