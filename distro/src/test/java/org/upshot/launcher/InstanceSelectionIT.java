package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.BootedDaemon;

/**
 * {@code bin/initctl status|stop JOB KEY=VALUE} in the booted distribution: the values
 * name the instance through the job's {@code instance} stanza, as in Upstart.
 */
class InstanceSelectionIT {
    private static final Pattern RUNNING = Pattern.compile("web \\(8002\\) start/running, process (\\d+)\n");

    @TempDir
    Path work;

    @Test
    @Timeout(90)
    void statusAndStopActOnTheInstanceTheValuesName() throws Exception {
        try (BootedDaemon daemon = BootedDaemon.in(work).job("web", "instance $PORT\nexec sleep 600\n").boot()) {
            daemon.awaitStopped("web");
            assertEquals(0, CommandResult.initctl(daemon, "start", "web", "PORT=8001").status(), daemon.describe("web"));
            assertEquals(0, CommandResult.initctl(daemon, "start", "web", "PORT=8002").status(), daemon.describe("web"));

            CommandResult status = CommandResult.initctl(daemon, "status", "web", "PORT=8002");
            assertEquals(0, status.status(), status.output());
            Matcher running = RUNNING.matcher(status.output());
            assertTrue(running.matches(), status.output());

            assertEquals(new CommandResult(0, "web (8001) stop/waiting\n"),
                    CommandResult.initctl(daemon, "stop", "web", "PORT=8001"));
            assertEquals(new CommandResult(0, status.output()), CommandResult.initctl(daemon, "status", "web"));
            assertEquals(new CommandResult(1, "initctl: Unknown instance: web (8001)\n"),
                    CommandResult.initctl(daemon, "status", "web", "PORT=8001"));
            assertEquals(new CommandResult(1, "initctl: Unknown parameter: PORT\n"),
                    CommandResult.initctl(daemon, "status", "web", "HOST=any"));
            assertEquals(Long.parseLong(running.group(1)), daemon.list().get("web").get(0).mainPid().getAsLong());
        }
    }
}
