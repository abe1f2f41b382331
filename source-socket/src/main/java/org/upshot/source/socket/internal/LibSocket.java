package org.upshot.source.socket.internal;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/**
 * The libc calls the socket source makes, bound with jnr-ffi: the JDK's channels hide the
 * descriptor a child must inherit, and have neither abstract unix names nor
 * {@code SO_PEERCRED}'s pid, nor
 * datagrams with {@code SCM_CREDENTIALS}. Constants are Linux's (the same on x86-64 and arm64).
 */
public interface LibSocket {

    int AF_UNIX = 1;
    int AF_INET = 2;
    int AF_INET6 = 10;
    int SOCK_STREAM = 1;
    int SOCK_DGRAM = 2;
    int SOCK_NONBLOCK = 04000;
    int SOCK_CLOEXEC = 02000000;
    int SOL_SOCKET = 1;
    int SO_REUSEADDR = 2;
    int SO_PASSCRED = 16;
    int SO_PEERCRED = 17;
    int SCM_RIGHTS = 1;
    int SCM_CREDENTIALS = 2;
    int MSG_CTRUNC = 0x8;
    int MSG_TRUNC = 0x20;
    int MSG_DONTWAIT = 0x40;
    int MSG_CMSG_CLOEXEC = 0x40000000;
    int IPPROTO_IPV6 = 41;
    int IPV6_V6ONLY = 26;
    int F_DUPFD_CLOEXEC = 1030;
    int F_GETFL = 3;
    int F_SETFL = 4;
    int O_NONBLOCK = 04000;
    int O_CLOEXEC = 02000000;
    short POLLIN = 1;

    int EINTR = 4;
    int EAGAIN = 11;
    int ECONNABORTED = 103;
    int ECONNREFUSED = 111;

    @SaveError int socket(int domain, int type, int protocol);

    @SaveError int setsockopt(int fd, int level, int option, @In int[] value, int length);

    @SaveError int getsockopt(int fd, int level, int option, @Out byte[] value, @In @Out int[] length);

    @SaveError int bind(int fd, @In byte[] address, int length);

    @SaveError int listen(int fd, int backlog);

    @SaveError int connect(int fd, @In byte[] address, int length);

    @SaveError int accept4(int fd, @Out byte[] address, @In @Out int[] length, int flags);

    @SaveError int getsockname(int fd, @Out byte[] address, @In @Out int[] length);

    @SaveError int fcntl(int fd, int command, int argument);

    @SaveError int poll(@In @Out byte[] fds, long count, int timeoutMillis);

    @SaveError int pipe2(@Out int[] fds, int flags);

    @SaveError long read(int fd, @Out byte[] buffer, long count);

    @SaveError long write(int fd, @In byte[] buffer, long count);

    @SaveError long recvmsg(int fd, Pointer message, int flags);

    @SaveError int close(int fd);

    @SaveError int chmod(String path, int mode);

    @SaveError int chown(String path, int uid, int gid);

    @SaveError Pointer getpwnam(String name);

    String strerror(int errno);
}
