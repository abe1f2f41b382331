package org.upshot.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/**
 * The baseline of {@link UdevBench}: a bare {@code NETLINK_KOBJECT_UEVENT} reader on the
 * kernel's group (1), one thread blocked in {@code recvfrom}, that takes the time
 * ({@code CLOCK_REALTIME}, µs) as each message arrives and parses only its head
 * ({@code ACTION@DEVPATH}). Its own jnr binding, so the baseline shares no code with the
 * source it is compared with. The kernel hands one uevent to every socket of the group in
 * the same {@code netlink_broadcast}, so this thread and the daemon's wake for the same
 * message at the same moment.
 */
final class UeventReader implements AutoCloseable {

    /** libc, as the reader needs it. */
    public interface Lib {
        @SaveError int socket(int domain, int type, int protocol);

        @SaveError int bind(int fd, @In byte[] address, int length);

        @SaveError int setsockopt(int fd, int level, int option, @In byte[] value, int length);

        @SaveError long recvfrom(int fd, @Out byte[] buffer, long length, int flags, @Out byte[] from,
                @In @Out int[] fromLength);

        int close(int fd);

        String strerror(int errno);
    }

    private static final int AF_NETLINK = 16;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int NETLINK_KOBJECT_UEVENT = 15;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVTIMEO = 20;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int ENOBUFS = 105;
    private static final String NET = "/devices/virtual/net/";

    /** The thread's name, to find it in {@code /proc/self/task/}. */
    static final String THREAD = "bare-uevents";

    private static final Lib LIBC = LibraryLoader.create(Lib.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private final int fd;
    private final String prefix;
    private final BiConsumer<String, String> onNetDevice;
    private final Thread thread;
    private volatile boolean running = true;
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final Map<String, Long> seenNanos = new ConcurrentHashMap<>();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong netDevices = new AtomicLong();
    private final AtomicLong ours = new AtomicLong();
    private final AtomicLong overflows = new AtomicLong();

    /**
     * Opens the socket (receive buffer {@code bufferBytes}, forced as root) and starts reading.
     *
     * @param prefix interface names whose {@code add}/{@code remove} are timed
     * @param onNetDevice called on the reading thread, right after the time is taken, with
     *     the action and the interface name of each such event
     */
    UeventReader(int bufferBytes, String prefix, BiConsumer<String, String> onNetDevice) throws IOException {
        this.prefix = prefix;
        this.onNetDevice = onNetDevice;
        fd = LIBC.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
        if (fd < 0) {
            throw error("socket(AF_NETLINK, NETLINK_KOBJECT_UEVENT)");
        }
        byte[] size = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(bufferBytes).array();
        if (LIBC.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, size, 4) < 0
                && LIBC.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, size, 4) < 0) {
            throw error("setsockopt SO_RCVBUF");
        }
        byte[] timeout = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(0).putLong(200_000).array();
        if (LIBC.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, 16) < 0) {
            throw error("setsockopt SO_RCVTIMEO");
        }
        byte[] address = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putShort((short) AF_NETLINK)
                .putShort((short) 0).putInt(0).putInt(1).array();
        if (LIBC.bind(fd, address, 12) < 0) {
            throw error("bind to the kernel's uevent group");
        }
        thread = new Thread(this::run, THREAD);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        byte[] buffer = new byte[64 * 1024];
        byte[] from = new byte[12];
        int[] fromLength = new int[1];
        while (running) {
            fromLength[0] = from.length;
            long n = LIBC.recvfrom(fd, buffer, buffer.length, 0, from, fromLength);
            if (n < 0) {
                int errno = RUNTIME.getLastError();
                if (errno == ENOBUFS) {
                    overflows.incrementAndGet();
                } else if (errno != EAGAIN && errno != EINTR) {
                    System.err.println("bare reader: recvfrom: " + LIBC.strerror(errno));
                    return;
                }
                continue;
            }
            long nanos = System.nanoTime();
            Instant now = Instant.now();
            if (ByteBuffer.wrap(from).order(ByteOrder.nativeOrder()).getInt(4) != 0) {
                continue; // only the kernel speaks on its group
            }
            messages.incrementAndGet();
            received(buffer, (int) n, now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000, nanos);
        }
    }

    /** {@code add@/devices/virtual/net/ubnjL3a}: the interface itself, not its queues. */
    private void received(byte[] message, int length, long micros, long nanos) {
        int end = 0;
        while (end < length && message[end] != 0) {
            end++;
        }
        String head = new String(message, 0, end, StandardCharsets.US_ASCII);
        int at = head.indexOf('@');
        if (at < 0 || !head.startsWith(NET, at + 1)) {
            return;
        }
        String name = head.substring(at + 1 + NET.length());
        if (name.startsWith(prefix)) {
            ours.incrementAndGet();
        }
        if (name.indexOf('/') >= 0) {
            return; // a queue of the interface
        }
        netDevices.incrementAndGet();
        if (name.startsWith(prefix)) {
            String action = head.substring(0, at);
            seen.putIfAbsent(action + " " + name, micros);
            seenNanos.putIfAbsent(action + " " + name, nanos);
            onNetDevice.accept(action, name);
        }
    }

    /** When the reader saw {@code action} for interface {@code name}, in µs since the epoch; null if not yet. */
    Long seen(String action, String name) {
        return seen.get(action + " " + name);
    }

    /** When the reader saw {@code action} for interface {@code name}, by {@code System.nanoTime()}; null if not yet. */
    Long seenNanos(String action, String name) {
        return seenNanos.get(action + " " + name);
    }

    /** Every kernel message read so far. */
    long messages() {
        return messages.get();
    }

    /** Every message about an interface with the prefix, or one of its queues, read so far. */
    long ours() {
        return ours.get();
    }

    /** Every add/remove/... of a {@code /devices/virtual/net/} interface read so far. */
    long netDevices() {
        return netDevices.get();
    }

    /** How often {@code recvfrom} said ENOBUFS. */
    long overflows() {
        return overflows.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIBC.close(fd);
    }

    private static IOException error(String step) {
        return new IOException(step + ": " + LIBC.strerror(RUNTIME.getLastError()));
    }
}
