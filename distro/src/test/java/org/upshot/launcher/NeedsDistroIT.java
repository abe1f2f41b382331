package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.BootedDaemon;

/**
 * {@code needs} in the booted distribution (issue 15): {@code bin/initctl start web}
 * starts the database web needs first, and {@code status web} shows the need.
 */
class NeedsDistroIT {

    @TempDir
    Path work;

    @Test
    @Timeout(90)
    void startingAJobStartsWhatItNeedsAndStatusShowsTheNeed() throws Exception {
        try (BootedDaemon daemon = BootedDaemon.in(work)
                .job("db", "exec sleep 600\n")
                .job("web", "needs db\nexec sleep 600\n").boot()) {
            daemon.awaitStopped("web");
            assertEquals(0, CommandResult.initctl(daemon, "start", "web").status(), daemon.describe("web"));

            CommandResult db = CommandResult.initctl(daemon, "status", "db");
            assertTrue(Pattern.matches("db start/running, process \\d+\n", db.output()), db.output());
            CommandResult web = CommandResult.initctl(daemon, "status", "web");
            assertTrue(Pattern.matches("web start/running, process \\d+\n\tneeds db\n", web.output()), web.output());

            assertEquals(new CommandResult(0, "db stop/waiting\n"), CommandResult.initctl(daemon, "stop", "db"));
            assertEquals(new CommandResult(0, "web stop/waiting\n\tneeds db\n"),
                    CommandResult.initctl(daemon, "status", "web"), "stopping db stopped web first");
        }
    }
}
