package org.upshot.source.udev.internal;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/** The libc calls of the uevent monitor, bound with jnr-ffi; Linux's constants. */
public interface LibNetlink {

    int AF_NETLINK = 16;
    int SOCK_DGRAM = 2;
    int SOCK_CLOEXEC = 02000000;
    int NETLINK_KOBJECT_UEVENT = 15;
    int SOL_SOCKET = 1;
    int SO_RCVBUF = 8;
    int SO_RCVTIMEO = 20;
    int SO_RCVBUFFORCE = 33;
    int MSG_DONTWAIT = 0x40;
    int EINTR = 4;
    int EAGAIN = 11;
    int ENOBUFS = 105;

    @SaveError int socket(int domain, int type, int protocol);

    @SaveError int bind(int fd, @In byte[] address, int length);

    @SaveError int setsockopt(int fd, int level, int option, @In byte[] value, int length);

    @SaveError int getsockopt(int fd, int level, int option, @Out byte[] value, @In @Out int[] length);

    @SaveError long recvfrom(int fd, @Out byte[] buffer, long length, int flags, @Out byte[] from, @In @Out int[] fromLength);

    @SaveError int close(int fd);

    String strerror(int errno);
}
