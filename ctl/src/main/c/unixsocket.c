/*
 * initctl's connection to the control socket, for org.upshot.ctl.NativeUnixChannel.
 *
 * The JDK's own Unix-domain SocketChannel seeds a SecureRandom when its first channel is
 * opened (for the names of sockets it binds, which initctl never does); on a cold JVM
 * that and the channel machinery cost about as much as the JVM's own start. These four
 * calls are all the client needs. Errors are thrown as IOException with strerror's text,
 * as the JDK's messages read.
 */
#include <errno.h>
#include <jni.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Bytes moved per call: the client's buffer is this size. */
#define CHUNK 8192

static void throw_errno(JNIEnv *env, int error) {
    jclass io = (*env)->FindClass(env, "java/io/IOException");
    if (io != NULL) {
        (*env)->ThrowNew(env, io, strerror(error));
    }
}

JNIEXPORT jint JNICALL
Java_org_upshot_ctl_NativeUnixChannel_connect0(JNIEnv *env, jclass unused, jbyteArray path) {
    struct sockaddr_un address;
    memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    jsize length = (*env)->GetArrayLength(env, path);
    if (length <= 0 || (size_t) length >= sizeof address.sun_path) {
        throw_errno(env, ENAMETOOLONG);
        return -1;
    }
    (*env)->GetByteArrayRegion(env, path, 0, length, (jbyte *) address.sun_path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        throw_errno(env, errno);
        return -1;
    }
    while (connect(fd, (struct sockaddr *) &address, sizeof address) < 0) {
        if (errno != EINTR) {
            int error = errno;
            close(fd);
            throw_errno(env, error);
            return -1;
        }
    }
    return fd;
}

JNIEXPORT jint JNICALL
Java_org_upshot_ctl_NativeUnixChannel_read0(JNIEnv *env, jclass unused, jint fd, jbyteArray into, jint offset,
                                            jint length) {
    jbyte chunk[CHUNK];
    ssize_t count;
    do {
        count = read(fd, chunk, length < CHUNK ? (size_t) length : CHUNK);
    } while (count < 0 && errno == EINTR);
    if (count < 0) {
        throw_errno(env, errno);
        return -1;
    }
    (*env)->SetByteArrayRegion(env, into, offset, (jsize) count, chunk);
    return count == 0 ? -1 : (jint) count;
}

JNIEXPORT jint JNICALL
Java_org_upshot_ctl_NativeUnixChannel_write0(JNIEnv *env, jclass unused, jint fd, jbyteArray from, jint offset,
                                             jint length) {
    jbyte chunk[CHUNK];
    jint size = length < CHUNK ? length : CHUNK;
    (*env)->GetByteArrayRegion(env, from, offset, size, chunk);
    ssize_t count;
    do {
        count = send(fd, chunk, (size_t) size, MSG_NOSIGNAL);
    } while (count < 0 && errno == EINTR);
    if (count < 0) {
        throw_errno(env, errno);
        return -1;
    }
    return (jint) count;
}

JNIEXPORT void JNICALL
Java_org_upshot_ctl_NativeUnixChannel_close0(JNIEnv *env, jclass unused, jint fd) {
    if (close(fd) < 0 && errno != EINTR) {
        throw_errno(env, errno);
    }
}
