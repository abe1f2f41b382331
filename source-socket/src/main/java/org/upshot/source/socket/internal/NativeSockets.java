package org.upshot.source.socket.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Listening sockets as plain descriptors: opening one for a {@link SocketSpec}, accepting,
 * polling, duplicating. Every descriptor made here is close-on-exec: a child gets one only
 * when the spawner places it.
 */
final class NativeSockets {

    private static final LibSocket LIBC = LibraryLoader.create(LibSocket.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    /** {@code sizeof(struct sockaddr_un)}: family, then 108 bytes of path. */
    private static final int SOCKADDR_UN = 110;
    private static final int SOCKADDR_MAX = 128;
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int EACCES = 13;
    private static final int EADDRINUSE = 98;

    private NativeSockets() {}

    /** A failed system call: the step, the errno and its text. */
    static final class SocketError extends IOException {
        private static final long serialVersionUID = 1L;
        final int errno;

        SocketError(String step, int errno) {
            super(step + ": " + LIBC.strerror(errno));
            this.errno = errno;
        }

        SocketError(String message) {
            super(message);
            this.errno = 0;
        }
    }

    /**
     * Binds and (for stream kinds) listens, with the options of {@code spec}. A unix
     * path's missing directories are made 0755; a stale socket node there is replaced; any
     * other file there is refused.
     *
     * @return the listening descriptor
     */
    static int open(SocketSpec spec) throws SocketError {
        SocketAddress address = spec.address();
        SocketAddress.Kind kind = address.kind();
        int family = kind == SocketAddress.Kind.UNIX ? LibSocket.AF_UNIX
                : kind.ipv6() ? LibSocket.AF_INET6 : LibSocket.AF_INET;
        int type = kind.stream() ? LibSocket.SOCK_STREAM : LibSocket.SOCK_DGRAM;
        if (kind == SocketAddress.Kind.UNIX && !address.isAbstract()) {
            prepareNode(Path.of(address.path()));
        }
        int fd = check("socket", LIBC.socket(family, type | LibSocket.SOCK_CLOEXEC, 0));
        try {
            if (family != LibSocket.AF_UNIX) {
                check("setsockopt SO_REUSEADDR", LIBC.setsockopt(fd, LibSocket.SOL_SOCKET, LibSocket.SO_REUSEADDR,
                        new int[] {1}, 4));
            }
            if (family == LibSocket.AF_INET6) {
                // a tcp and a tcp6 listener may then share a port, as upstart-socket-bridge allowed
                check("setsockopt IPV6_V6ONLY", LIBC.setsockopt(fd, LibSocket.IPPROTO_IPV6, LibSocket.IPV6_V6ONLY,
                        new int[] {1}, 4));
            }
            byte[] sockaddr = sockaddr(address);
            if (LIBC.bind(fd, sockaddr, sockaddr.length) < 0) {
                int errno = errno();
                if (errno == EACCES && address.port() > 0 && address.port() < 1024) {
                    throw new SocketError("bind: " + LIBC.strerror(errno) + " (ports below 1024 need root)");
                }
                throw new SocketError("bind", errno);
            }
            if (kind.stream()) {
                check("listen", LIBC.listen(fd, spec.backlog()));
            }
            applyNodeOptions(spec);
            return fd;
        } catch (SocketError e) {
            LIBC.close(fd);
            throw e;
        }
    }

    /** Applies what may change on a bound listener in place: backlog, mode, owner. */
    static void reconfigure(int fd, SocketSpec spec) throws SocketError {
        if (spec.address().kind().stream()) {
            check("listen", LIBC.listen(fd, spec.backlog()));
        }
        applyNodeOptions(spec);
    }

    private static void applyNodeOptions(SocketSpec spec) throws SocketError {
        SocketAddress address = spec.address();
        if (address.kind() != SocketAddress.Kind.UNIX || address.isAbstract()) {
            return;
        }
        check("chmod", LIBC.chmod(address.path(), spec.mode()));
        if (spec.owner().isPresent()) {
            Pointer passwd = LIBC.getpwnam(spec.owner().get());
            if (passwd == null) {
                throw new SocketError("owner=" + spec.owner().get() + ": no such user");
            }
            // struct passwd on 64-bit glibc: two pointers, then uid and gid
            check("chown", LIBC.chown(address.path(), passwd.getInt(16), passwd.getInt(20)));
        }
    }

    /** Makes the directories, refuses a node that is not a socket, removes a stale socket. */
    private static void prepareNode(Path path) throws SocketError {
        try {
            Path parent = path.getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
            }
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if ((mode & S_IFMT) != S_IFSOCK) {
                    throw new SocketError(path + " exists and is not a socket; it is left alone");
                }
                if (inUse(path)) {
                    throw addressInUse("another process listens on " + path);
                }
                Files.delete(path);
            }
        } catch (SocketError e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SocketError("cannot prepare " + path + ": " + e.getMessage());
        }
    }

    /** {@code bind: Address already in use (WHY)}, as the kernel would say it. */
    static SocketError addressInUse(String why) {
        return new SocketError("bind: " + LIBC.strerror(EADDRINUSE) + " (" + why + ")");
    }

    /**
     * Whether the node is live: only a refused connection proves it stale. The probe does
     * not wait (a full backlog is "in use"), and a live socket of another type answers
     * EPROTOTYPE, also "in use".
     */
    private static boolean inUse(Path path) throws SocketError {
        int probe = check("socket", LIBC.socket(LibSocket.AF_UNIX,
                LibSocket.SOCK_STREAM | LibSocket.SOCK_NONBLOCK | LibSocket.SOCK_CLOEXEC, 0));
        try {
            byte[] sockaddr = sockaddr(SocketAddress.parse("unix", path.toString()));
            return LIBC.connect(probe, sockaddr, sockaddr.length) == 0 || errno() != LibSocket.ECONNREFUSED;
        } finally {
            LIBC.close(probe);
        }
    }

    /** The inode of a unix socket's node, to unlink only our own later; -1 if there is none. */
    static long inode(SocketAddress address) {
        if (address.kind() != SocketAddress.Kind.UNIX || address.isAbstract()) {
            return -1;
        }
        try {
            return (Long) Files.getAttribute(Path.of(address.path()), "unix:ino", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Removes a unix socket's node if it is still the one bound as {@code inode}. */
    static void unlink(SocketAddress address, long inode) {
        if (inode >= 0 && inode(address) == inode) {
            try {
                Files.deleteIfExists(Path.of(address.path()));
            } catch (IOException e) {
                // left behind; the next bind replaces a stale socket node
            }
        }
    }

    /** Sets or clears O_NONBLOCK (shared with every holder of the socket). */
    static void nonBlocking(int fd, boolean on) throws SocketError {
        int flags = check("fcntl F_GETFL", LIBC.fcntl(fd, LibSocket.F_GETFL, 0));
        int wanted = on ? flags | LibSocket.O_NONBLOCK : flags & ~LibSocket.O_NONBLOCK;
        if (wanted != flags) {
            check("fcntl F_SETFL", LIBC.fcntl(fd, LibSocket.F_SETFL, wanted));
        }
    }

    /** An accepted connection and what the job learns of its peer. */
    record Accepted(int fd, Map<String, String> peer) {}

    /**
     * Accepts one connection from a non-blocking listener.
     *
     * @return null when none is waiting
     */
    static Accepted accept(int listener, SocketAddress.Kind kind) throws SocketError {
        byte[] sockaddr = new byte[SOCKADDR_MAX];
        int[] length = {sockaddr.length};
        int fd;
        do {
            fd = LIBC.accept4(listener, sockaddr, length, LibSocket.SOCK_CLOEXEC);
        } while (fd < 0 && errno() == LibSocket.EINTR);
        if (fd < 0) {
            int errno = errno();
            if (errno == LibSocket.EAGAIN || errno == LibSocket.ECONNABORTED) {
                return null;
            }
            throw new SocketError("accept", errno);
        }
        Map<String, String> peer = new LinkedHashMap<>();
        if (kind == SocketAddress.Kind.UNIX) {
            byte[] ucred = new byte[12];
            int[] credLength = {ucred.length};
            if (LIBC.getsockopt(fd, LibSocket.SOL_SOCKET, LibSocket.SO_PEERCRED, ucred, credLength) == 0) {
                ByteBuffer cred = ByteBuffer.wrap(ucred).order(ByteOrder.nativeOrder());
                peer.put("REMOTE_PID", Integer.toString(cred.getInt(0)));
                peer.put("REMOTE_UID", Integer.toString(cred.getInt(4)));
            }
        } else {
            ByteBuffer address = ByteBuffer.wrap(sockaddr).order(ByteOrder.BIG_ENDIAN);
            int port = Short.toUnsignedInt(address.getShort(2));
            boolean v6 = kind.ipv6();
            byte[] raw = new byte[v6 ? 16 : 4];
            address.position(v6 ? 8 : 4);
            address.get(raw);
            try {
                peer.put("REMOTE_ADDR", InetAddress.getByAddress(raw).getHostAddress().replaceFirst("%.*$", ""));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException("a raw address of the right length", e);
            }
            peer.put("REMOTE_PORT", Integer.toString(port));
        }
        return new Accepted(fd, peer);
    }

    /**
     * A unix datagram socket bound at {@code path} that is told each sender's credentials
     * ({@code SO_PASSCRED}), non-blocking, its node writable by everyone (a sender proves
     * who it is by its credentials, not by the node's mode); a node already there is
     * replaced.
     */
    static int openDatagram(Path path) throws SocketError {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new SocketError("cannot replace " + path + ": " + e.getMessage());
        }
        int fd = check("socket", LIBC.socket(LibSocket.AF_UNIX,
                LibSocket.SOCK_DGRAM | LibSocket.SOCK_NONBLOCK | LibSocket.SOCK_CLOEXEC, 0));
        try {
            check("setsockopt SO_PASSCRED", LIBC.setsockopt(fd, LibSocket.SOL_SOCKET, LibSocket.SO_PASSCRED,
                    new int[] {1}, 4));
            byte[] sockaddr = sockaddr(SocketAddress.parse("unix", path.toString()));
            check("bind", LIBC.bind(fd, sockaddr, sockaddr.length));
            check("chmod", LIBC.chmod(path.toString(), 0777));
            return fd;
        } catch (SocketError e) {
            LIBC.close(fd);
            throw e;
        }
    }

    /**
     * One datagram as received.
     *
     * @param payload its bytes, at most the reader's buffer
     * @param pid the sender's pid from {@code SCM_CREDENTIALS}; 0 when there were none
     * @param truncated the datagram was as long as the buffer or longer
     */
    record Datagram(byte[] payload, int pid, boolean truncated) {}

    /**
     * Reads datagrams with {@code recvmsg}, reusing native buffers: one reader per thread.
     * Descriptors that arrive with a datagram are closed at once.
     */
    static final class DatagramReader {
        // struct msghdr, iovec and cmsghdr on 64-bit Linux
        private static final int MSGHDR_SIZE = 56;
        private static final int IOV_OFFSET = 16;
        private static final int IOVLEN_OFFSET = 24;
        private static final int CONTROL_OFFSET = 32;
        private static final int CONTROLLEN_OFFSET = 40;
        private static final int FLAGS_OFFSET = 48;
        private static final int CMSG_HEADER = 16;
        /** Room for credentials and a full SCM_RIGHTS load (253 descriptors). */
        private static final int CONTROL_SIZE = 2048;

        private final int capacity;
        private final Pointer data;
        private final Pointer control;
        private final Pointer iov;
        private final Pointer message;

        /** @param capacity the payload buffer; a datagram this long or longer is reported truncated */
        DatagramReader(int capacity) {
            this.capacity = capacity;
            this.data = Memory.allocateDirect(RUNTIME, capacity);
            this.control = Memory.allocateDirect(RUNTIME, CONTROL_SIZE);
            this.iov = Memory.allocateDirect(RUNTIME, 16);
            this.message = Memory.allocateDirect(RUNTIME, MSGHDR_SIZE);
            iov.putAddress(0, data.address());
            iov.putLong(8, capacity);
        }

        /** The next waiting datagram, or null when none waits. */
        Datagram read(int fd) throws SocketError {
            message.setMemory(0, MSGHDR_SIZE, (byte) 0);
            message.putAddress(IOV_OFFSET, iov.address());
            message.putLong(IOVLEN_OFFSET, 1);
            message.putAddress(CONTROL_OFFSET, control.address());
            message.putLong(CONTROLLEN_OFFSET, CONTROL_SIZE);
            long length;
            while ((length = LIBC.recvmsg(fd, message, LibSocket.MSG_DONTWAIT | LibSocket.MSG_CMSG_CLOEXEC
                    | LibSocket.MSG_TRUNC)) < 0) {
                int errno = errno();
                if (errno == LibSocket.EAGAIN) {
                    return null;
                }
                if (errno != LibSocket.EINTR) {
                    throw new SocketError("recvmsg", errno);
                }
            }
            int pid = controlMessages(message.getLong(CONTROLLEN_OFFSET));
            boolean truncated = length >= capacity || (message.getInt(FLAGS_OFFSET) & LibSocket.MSG_TRUNC) != 0;
            byte[] payload = new byte[(int) Math.min(length, capacity)];
            data.get(0, payload, 0, payload.length);
            return new Datagram(payload, pid, truncated);
        }

        /** Closes any passed descriptors; answers the credentials' pid, or 0. */
        private int controlMessages(long controlLength) {
            int pid = 0;
            long offset = 0;
            while (offset + CMSG_HEADER <= controlLength) {
                long length = control.getLong(offset);
                if (length < CMSG_HEADER || offset + length > controlLength) {
                    break;
                }
                int level = control.getInt(offset + 8);
                int type = control.getInt(offset + 12);
                if (level == LibSocket.SOL_SOCKET && type == LibSocket.SCM_CREDENTIALS) {
                    pid = control.getInt(offset + CMSG_HEADER); // struct ucred: pid, uid, gid
                } else if (level == LibSocket.SOL_SOCKET && type == LibSocket.SCM_RIGHTS) {
                    for (long at = offset + CMSG_HEADER; at + 4 <= offset + length; at += 4) {
                        LIBC.close(control.getInt(at));
                    }
                }
                offset += (length + 7) & ~7L;
            }
            return pid;
        }
    }

    /** A close-on-exec duplicate of {@code fd}. */
    static int duplicate(int fd) throws SocketError {
        return check("fcntl F_DUPFD_CLOEXEC", LIBC.fcntl(fd, LibSocket.F_DUPFD_CLOEXEC, 3));
    }

    static void close(int fd) {
        LIBC.close(fd);
    }

    /**
     * Waits until one of {@code fds} is readable, {@code wake} is written to, or the
     * timeout passes (-1: none).
     *
     * @return for each of {@code fds}, in order, whether it is readable
     */
    static boolean[] poll(int wake, List<Integer> fds, int timeoutMillis) throws SocketError {
        ByteBuffer pollfds = ByteBuffer.allocate(8 * (fds.size() + 1)).order(ByteOrder.nativeOrder());
        pollfds.putInt(0, wake).putShort(4, LibSocket.POLLIN);
        for (int i = 0; i < fds.size(); i++) {
            pollfds.putInt(8 * (i + 1), fds.get(i)).putShort(8 * (i + 1) + 4, LibSocket.POLLIN);
        }
        byte[] raw = pollfds.array();
        while (LIBC.poll(raw, fds.size() + 1, timeoutMillis) < 0) {
            if (errno() != LibSocket.EINTR) {
                throw new SocketError("poll", errno());
            }
        }
        ByteBuffer result = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        if (result.getShort(6) != 0) {
            drain(wake);
        }
        boolean[] readable = new boolean[fds.size()];
        for (int i = 0; i < fds.size(); i++) {
            readable[i] = result.getShort(8 * (i + 1) + 6) != 0;
        }
        return readable;
    }

    /** Whether a connection (or datagram) is waiting on {@code fd} right now. */
    static boolean readable(int fd) {
        ByteBuffer pollfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        pollfd.putInt(0, fd).putShort(4, LibSocket.POLLIN);
        byte[] raw = pollfd.array();
        return LIBC.poll(raw, 1, 0) > 0 && (ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder()).getShort(6)
                & LibSocket.POLLIN) != 0;
    }

    /** A non-blocking pipe whose read end wakes {@link #poll}: {read, write}. */
    static int[] wakePipe() throws SocketError {
        int[] fds = new int[2];
        check("pipe2", LIBC.pipe2(fds, LibSocket.O_CLOEXEC | LibSocket.O_NONBLOCK));
        return fds;
    }

    static void wake(int writeEnd) {
        LIBC.write(writeEnd, new byte[] {1}, 1);
    }

    private static void drain(int readEnd) {
        byte[] buffer = new byte[256];
        while (LIBC.read(readEnd, buffer, buffer.length) > 0) {
            // emptied: the wake-up is level-triggered otherwise
        }
    }

    private static byte[] sockaddr(SocketAddress address) throws SocketError {
        try {
            switch (address.kind()) {
                case UNIX: {
                    ByteBuffer un = ByteBuffer.allocate(SOCKADDR_UN).order(ByteOrder.nativeOrder());
                    un.putShort((short) LibSocket.AF_UNIX);
                    byte[] path = address.path().getBytes(StandardCharsets.UTF_8);
                    if (address.isAbstract()) {
                        // the leading NUL makes the name abstract; the length ends it, no trailing NUL
                        un.put((byte) 0).put(path, 1, path.length - 1);
                        byte[] exact = new byte[2 + path.length];
                        System.arraycopy(un.array(), 0, exact, 0, exact.length);
                        return exact;
                    }
                    un.put(path);
                    return un.array();
                }
                case TCP6:
                case UDP6: {
                    ByteBuffer in6 = ByteBuffer.allocate(28);
                    in6.order(ByteOrder.nativeOrder()).putShort((short) LibSocket.AF_INET6);
                    in6.order(ByteOrder.BIG_ENDIAN).putShort((short) address.port()).putInt(0);
                    in6.put(InetAddress.getByName(address.host()).getAddress()).putInt(0);
                    return in6.array();
                }
                default: {
                    ByteBuffer in = ByteBuffer.allocate(16);
                    in.order(ByteOrder.nativeOrder()).putShort((short) LibSocket.AF_INET);
                    in.order(ByteOrder.BIG_ENDIAN).putShort((short) address.port());
                    in.put(InetAddress.getByName(address.host()).getAddress());
                    return in.array();
                }
            }
        } catch (java.net.UnknownHostException e) {
            throw new SocketError("bad address " + address.display());
        }
    }

    private static int check(String step, int result) throws SocketError {
        if (result < 0) {
            throw new SocketError(step, errno());
        }
        return result;
    }

    private static int errno() {
        return RUNTIME.getLastError();
    }
}
