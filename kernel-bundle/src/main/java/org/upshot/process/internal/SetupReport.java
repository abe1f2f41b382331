package org.upshot.process.internal;

import java.io.ByteArrayOutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.upshot.process.PosixException;
import org.upshot.process.SpawnRequest;

/**
 * Reads what a child's set-up preamble wrote on its report descriptor. The read ends
 * at end of file, which comes when the preamble closes the descriptor just before its
 * final exec, or when the child dies. A line {@code !STEP ERRNO} means the step
 * failed; the lines before it are the failing tool's own message, from which the
 * errno is recovered when the preamble could not know it.
 */
final class SetupReport {

    private static final Logger LOG = System.getLogger(SetupReport.class.getName());
    private static final Map<String, Integer> ERRNO_BY_TEXT = errnoByText();

    private SetupReport() {}

    static void readAndClose(int fd, SpawnRequest request) throws PosixException {
        String text;
        try {
            text = readAll(fd);
        } finally {
            Native.libc().close(fd);
        }
        if (text.isEmpty()) {
            return;
        }
        int mark = text.lastIndexOf(SetupScript.FAILURE_MARK);
        if (mark < 0 || (mark > 0 && text.charAt(mark - 1) != '\n')) {
            LOG.log(Level.DEBUG, "set-up of {0} said: {1}", request.argv().get(0), text.strip());
            return;
        }
        String[] failure = text.substring(mark + 1).strip().split(" ", 2);
        String message = text.substring(0, mark).strip();
        int errno = failure.length > 1 ? Integer.parseInt(failure[1]) : 0;
        if (errno == 0) {
            errno = errnoIn(message);
        }
        String detail = PosixProcessLauncher.describe(request) + (message.isEmpty() ? "" : " (" + message + ")");
        throw new PosixException(failure[0], errno, detail);
    }

    private static String readAll(int fd) throws PosixException {
        LibC libc = Native.libc();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        while (true) {
            long count = libc.read(fd, buffer, buffer.length);
            if (count > 0) {
                out.write(buffer, 0, (int) count);
            } else if (count == 0) {
                return out.toString(StandardCharsets.UTF_8);
            } else if (Native.errno() != LibC.EINTR) {
                throw new PosixException("read", Native.errno(), "set-up report");
            }
        }
    }

    /** The errno whose strerror text ends a line of the message, as tools print it. */
    private static int errnoIn(String message) {
        for (String line : message.split("\n")) {
            int colon = line.lastIndexOf(": ");
            Integer errno = colon < 0 ? null : ERRNO_BY_TEXT.get(line.substring(colon + 2).strip());
            if (errno != null) {
                return errno;
            }
        }
        return 0;
    }

    private static Map<String, Integer> errnoByText() {
        Map<String, Integer> map = new HashMap<>();
        for (int errno = 133; errno >= 1; errno--) {
            map.put(Native.libc().strerror(errno), errno);
        }
        return map;
    }
}
