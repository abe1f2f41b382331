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
}
