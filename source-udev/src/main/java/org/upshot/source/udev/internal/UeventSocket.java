package org.upshot.source.udev.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * A {@code NETLINK_KOBJECT_UEVENT} socket bound to one multicast group: the kernel's (1,
 * raw uevents) or udevd's (2, properties after rules). Reads time out every half second,
 * so the reading thread notices when it is asked to stop.
 */
final class UeventSocket implements DeviceMonitor.Receiver {

    /** The kernel's group. */
    static final int KERNEL_GROUP = 1;
    /** udevd's monitor group. */
    static final int UDEV_GROUP = 2;

    private static final LibNetlink LIBC = LibraryLoader.create(LibNetlink.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    /** The socket's receive buffer overflowed: uevents were lost. */
    static final class Overflow extends IOException {
        private static final long serialVersionUID = 1L;

        Overflow() {
            super("receive buffer overflow: uevents were lost");
        }
    }

    private final int fd;
    private final int group;

    private UeventSocket(int fd, int group) {
        this.fd = fd;
        this.group = group;
    }

    /**
     * Opens and binds the socket, with a receive buffer of {@code bufferBytes} (forced past
     * {@code rmem_max} where the daemon may, as root).
     */
    static UeventSocket open(int group, int bufferBytes) throws IOException {
        int fd = LIBC.socket(LibNetlink.AF_NETLINK, LibNetlink.SOCK_DGRAM | LibNetlink.SOCK_CLOEXEC,
                LibNetlink.NETLINK_KOBJECT_UEVENT);
        if (fd < 0) {
            throw error("socket(AF_NETLINK, NETLINK_KOBJECT_UEVENT)");
        }
        try {
            byte[] size = ints(bufferBytes);
            if (LIBC.setsockopt(fd, LibNetlink.SOL_SOCKET, LibNetlink.SO_RCVBUFFORCE, size, 4) < 0
                    && LIBC.setsockopt(fd, LibNetlink.SOL_SOCKET, LibNetlink.SO_RCVBUF, size, 4) < 0) {
                throw error("setsockopt SO_RCVBUF");
            }
            ByteBuffer timeout = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
            timeout.putLong(0).putLong(500_000);
            if (LIBC.setsockopt(fd, LibNetlink.SOL_SOCKET, LibNetlink.SO_RCVTIMEO, timeout.array(), 16) < 0) {
                throw error("setsockopt SO_RCVTIMEO");
            }
            ByteBuffer address = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
            address.putShort((short) LibNetlink.AF_NETLINK).putShort((short) 0).putInt(0).putInt(group);
            if (LIBC.bind(fd, address.array(), 12) < 0) {
                throw error("bind to uevent group " + group);
            }
            return new UeventSocket(fd, group);
        } catch (IOException e) {
            LIBC.close(fd);
            throw e;
        }
    }

    /** The receive buffer the kernel granted (it reports twice what was asked, for its bookkeeping). */
    int receiveBuffer() {
        byte[] value = new byte[4];
        int[] length = {4};
        LIBC.getsockopt(fd, LibNetlink.SOL_SOCKET, LibNetlink.SO_RCVBUF, value, length);
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt();
    }

    /**
     * Receives one message into {@code buffer}.
     *
     * @param wait whether to wait for one, up to half a second
     * @return its length; 0 for a message that did not come from the group's rightful
     *     sender (the kernel, for the kernel group); -1 when none came (none was queued,
     *     when not waiting)
     * @throws Overflow when messages were dropped since the last read
     */
    @Override
    public int receive(byte[] buffer, boolean wait) throws IOException {
        byte[] from = new byte[12];
        while (true) {
            int[] fromLength = {from.length};
            long n = LIBC.recvfrom(fd, buffer, buffer.length, wait ? 0 : LibNetlink.MSG_DONTWAIT, from, fromLength);
            if (n < 0) {
                int errno = RUNTIME.getLastError();
                if (errno == LibNetlink.EINTR) {
                    continue;
                }
                if (errno == LibNetlink.EAGAIN) {
                    return -1;
                }
                if (errno == LibNetlink.ENOBUFS) {
                    throw new Overflow();
                }
                throw new IOException("recvfrom: " + LIBC.strerror(errno));
            }
            int senderPid = ByteBuffer.wrap(from).order(ByteOrder.nativeOrder()).getInt(4);
            if (group == KERNEL_GROUP && senderPid != 0) {
                return 0; // only the kernel speaks on its group
            }
            return (int) n;
        }
    }

    @Override
    public void close() {
        LIBC.close(fd);
    }

    private static byte[] ints(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    private static IOException error(String step) {
        return new IOException(step + ": " + LIBC.strerror(RUNTIME.getLastError()));
    }
}
