package org.upshot.ctl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * initctl's native socket against a JDK server socket: bytes both ways in more than one
 * chunk, the end of the stream, and the errors a user sees as the JDK would word them.
 * Runs where the build compiled the library (surefire names target/native).
 */
@Timeout(30)
class NativeUnixChannelTest {

    @TempDir
    Path dir;

    @BeforeEach
    void needsTheLibrary() {
        boolean built = NativeUnixChannel.available();
        if (!built) {
            System.out.println("NativeUnixChannelTest skipped: libupshot-ctl.so was not built (no C compiler?)");
        }
        assumeTrue(built, "libupshot-ctl.so was not built (no C compiler?)");
    }

    @Test
    void aRequestGoesOutAndAReplyOfSeveralChunksComesBackToItsEnd() throws Exception {
        Path node = dir.resolve("control.sock");
        byte[] reply = new byte[20_000]; // more than the library's 8 KiB a call
        Arrays.fill(reply, (byte) 'x');
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(node));
            CompletableFuture<String> heard = CompletableFuture.supplyAsync(() -> answer(server, reply));
            try (NativeUnixChannel channel = NativeUnixChannel.connect(node)) {
                ByteBuffer request = ByteBuffer.wrap("status web\n".getBytes(StandardCharsets.UTF_8));
                while (request.hasRemaining()) {
                    channel.write(request);
                }
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                ByteBuffer buffer = ByteBuffer.allocate(8192);
                while (channel.read(buffer) >= 0) {
                    got.write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                assertEquals("status web", heard.get(10, TimeUnit.SECONDS));
                assertArrayEquals(reply, got.toByteArray());
            }
        }
    }

    /** Reads one line, sends {@code reply} and closes. */
    private static String answer(ServerSocketChannel server, byte[] reply) {
        try (SocketChannel client = server.accept()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (client.read(one) > 0 && one.get(0) != '\n') {
                line.write(one.get(0));
                one.clear();
            }
            ByteBuffer out = ByteBuffer.wrap(reply);
            while (out.hasRemaining()) {
                client.write(out);
            }
            return line.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void noSocketAndNoListenerAreWordedAsTheSystemWordsThem() throws Exception {
        IOException missing = assertThrows(IOException.class, () -> NativeUnixChannel.connect(dir.resolve("none")));
        assertEquals("No such file or directory", missing.getMessage());
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            gone.bind(UnixDomainSocketAddress.of(stale));
        } // closed, its node left behind: nobody listens
        IOException refused = assertThrows(IOException.class, () -> NativeUnixChannel.connect(stale));
        assertEquals("Connection refused", refused.getMessage());
    }

    @Test
    void aClosedChannelSaysSoAndClosesOnce() throws Exception {
        Path node = dir.resolve("control.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(node));
            NativeUnixChannel channel = NativeUnixChannel.connect(node);
            channel.close();
            channel.close();
            assertFalse(channel.isOpen());
            assertThrows(ClosedChannelException.class, () -> channel.read(ByteBuffer.allocate(16)));
        }
    }
}
