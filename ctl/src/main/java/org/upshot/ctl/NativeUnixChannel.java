package org.upshot.ctl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A connection to a Unix socket through initctl's own small JNI library
 * ({@code ctl/src/main/c/unixsocket.c}; {@code lib/native/linux-ARCH/libupshot-ctl.so}
 * in the distribution, named by {@value #DIRECTORY_PROPERTY}). The JDK's Unix-domain
 * channel costs a cold JVM about as much again as its own start (it seeds a
 * {@code SecureRandom} when the first one opens); this costs a library load. Without the
 * library (no property, another architecture, no C compiler at build time) the client
 * uses the JDK's channel. Blocking, one thread.
 */
final class NativeUnixChannel implements ByteChannel {

    /** The directory that holds {@code linux-ARCH/libupshot-ctl.so}; bin/initctl sets it. */
    static final String DIRECTORY_PROPERTY = "upshot.native.dir";
    private static final boolean LOADED = load();

    private int fd;

    private NativeUnixChannel(int fd) {
        this.fd = fd;
    }

    /** Whether the library is loaded, so that {@link #connect} can be used. */
    static boolean available() {
        return LOADED;
    }

    private static boolean load() {
        String directory = System.getProperty(DIRECTORY_PROPERTY);
        if (directory == null) {
            return false;
        }
        try {
            System.load(directory + "/linux-" + System.getProperty("os.arch") + "/libupshot-ctl.so");
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false; // not built for this machine: the JDK's channel does the same, slower to start
        }
    }

    /** Connects to the stream socket at {@code socket}; only when {@link #available()}. */
    static NativeUnixChannel connect(Path socket) throws IOException {
        return new NativeUnixChannel(connect0(socket.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
        int length = into.remaining();
        if (length == 0) {
            return 0;
        }
        byte[] bytes = into.hasArray() ? into.array() : new byte[length];
        int offset = into.hasArray() ? into.arrayOffset() + into.position() : 0;
        int count = read0(open(), bytes, offset, length);
        if (count > 0) {
            if (into.hasArray()) {
                into.position(into.position() + count);
            } else {
                into.put(bytes, 0, count);
            }
        }
        return count;
    }

    @Override
    public int write(ByteBuffer from) throws IOException {
        int length = from.remaining();
        if (length == 0) {
            return 0;
        }
        byte[] bytes;
        int offset;
        if (from.hasArray()) {
            bytes = from.array();
            offset = from.arrayOffset() + from.position();
        } else {
            bytes = new byte[length];
            from.duplicate().get(bytes);
            offset = 0;
        }
        int count = write0(open(), bytes, offset, length);
        from.position(from.position() + count);
        return count;
    }

    @Override
    public boolean isOpen() {
        return fd >= 0;
    }

    @Override
    public void close() throws IOException {
        if (fd >= 0) {
            int closing = fd;
            fd = -1;
            close0(closing);
        }
    }

    private int open() throws ClosedChannelException {
        if (fd < 0) {
            throw new ClosedChannelException();
        }
        return fd;
    }

    private static native int connect0(byte[] path) throws IOException;

    /** Up to {@code length} bytes (at most 8 KiB) into {@code into} at {@code offset}; -1 at the end. */
    private static native int read0(int fd, byte[] into, int offset, int length) throws IOException;

    /** Up to {@code length} bytes (at most 8 KiB) from {@code from} at {@code offset}; how many were sent. */
    private static native int write0(int fd, byte[] from, int offset, int length) throws IOException;

    private static native void close0(int fd) throws IOException;
}
