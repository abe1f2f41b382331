package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test of real daemons needs from the machine: the tools {@code ./run-tests} installs as root,
 * and sshd's privilege separation directory. Where they are expected (CI, or root on
 * Debian) a missing one fails the test; elsewhere the test is skipped, saying why.
 */
final class Prerequisites {

    /** sshd's privilege separation directory; Debian's unit makes it at boot ({@code RuntimeDirectory=sshd}). */
    static final Path SSHD_PRIVSEP_DIR = Path.of("/run/sshd");

    private Prerequisites() {}

    /** Requires {@code tools}, from Debian's {@code packages}, for the test class {@code test}. */
    static void requireInstalled(Class<?> test, String packages, Path... tools) {
        List<Path> missing = Stream.of(tools).filter(tool -> !Files.isExecutable(tool)).toList();
        if (!missing.isEmpty()) {
            skipOrFail(test, missing + " not installed: apt-get install " + packages + " (./run-tests does as root)");
        }
    }

    /**
     * Makes sshd's privilege separation directory if it is missing (root only).
     *
     * @return whether it was made here, so the test removes it afterwards
     */
    static boolean requireSshdPrivsepDir(Class<?> test) throws IOException {
        if (Files.isDirectory(SSHD_PRIVSEP_DIR)) {
            return false;
        }
        if (!ProcTable.runningAsRoot()) {
            skipOrFail(test, SSHD_PRIVSEP_DIR + " is missing and only root can make it");
        }
        Files.createDirectory(SSHD_PRIVSEP_DIR);
        return true;
    }

    /** Skips the rest of {@code test}, printing why, so that a skip is never silent. */
    static void skip(Class<?> test, String reason) {
        System.out.println(test.getSimpleName() + " skipped: " + reason);
        Assumptions.assumeTrue(false, reason);
    }

    private static void skipOrFail(Class<?> test, String reason) {
        if (toolsExpected()) {
            fail(reason + "; CI and root on Debian are expected to have it");
        }
        skip(test, reason);
    }

    /** CI, or root on Debian: where ./run-tests installs every tool the tests use. */
    private static boolean toolsExpected() {
        return System.getenv("CI") != null
                || (ProcTable.runningAsRoot() && Files.exists(Path.of("/etc/debian_version")));
    }
}
