package org.upshot.process;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a child's standard descriptors go. stdin is always {@code /dev/null} except
 * for {@link Console}.
 */
public sealed interface Stdio {

    /** All three on {@code /dev/null} ({@code console none}). */
    record Null() implements Stdio {}

    /** stdout and stderr appended to a log file ({@code console log}). */
    record Log(Path file) implements Stdio {
        public Log {
            Objects.requireNonNull(file, "file");
        }
    }

    /** All three on {@code /dev/console}; {@code owner} also makes it the controlling tty. */
    record Console(boolean owner) implements Stdio {}

    /** The daemon's own descriptors 0, 1 and 2 (tests, foreground session mode). */
    record Inherit() implements Stdio {}

    /**
     * stdin and stdout on a connection, as inetd passes one; stderr as {@code errors}
     * says (its stdin and stdout are replaced).
     *
     * @param fd the daemon's descriptor; when it is also one of the request's inherited
     *     descriptors, the child gets it at both places
     * @param errors where stderr goes: any variant but another {@code Connection}
     */
    record Connection(int fd, Stdio errors) implements Stdio {
        public Connection {
            Objects.requireNonNull(errors, "errors");
            if (errors instanceof Connection || fd < 0) {
                throw new IllegalArgumentException("bad connection stdio: fd " + fd + ", errors " + errors);
            }
        }
    }
}
