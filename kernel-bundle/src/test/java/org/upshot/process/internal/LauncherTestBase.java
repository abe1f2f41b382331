package org.upshot.process.internal;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One real launcher per test class, with every exit it reaps recorded. */
abstract class LauncherTestBase {

    static PosixProcessLauncher launcher;
    static ExitRecorder exits;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startLauncher() {
        launcher = new PosixProcessLauncher();
        exits = new ExitRecorder();
        launcher.addExitListener(exits);
    }

    @AfterAll
    static void stopLauncher() {
        launcher.close();
    }
}
