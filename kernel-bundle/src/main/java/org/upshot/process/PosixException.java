package org.upshot.process;

/** A system call or a child's set-up step failed. */
public class PosixException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    /**
     * @param call the call or set-up step that failed, e.g. {@code posix_spawn} or {@code setuid}
     * @param errno the error number, 0 if unknown
     * @param detail what was being done, e.g. the path
     */
    public PosixException(String call, int errno, String detail) {
        super(call + (detail == null || detail.isEmpty() ? "" : " " + detail) + ": "
                + (errno == 0 ? "failed" : Errno.describe(errno)));
        this.call = call;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
