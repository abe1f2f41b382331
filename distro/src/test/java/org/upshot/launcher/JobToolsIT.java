package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.Await;
import org.upshot.testkit.BootedDaemon;

/**
 * Job scripts find the daemon's tools (issue 17): {@code initctl}, {@code status} and the
 * rest are on the jobs' PATH, after the system's, and a bare {@code status} in a job is
 * that job's, as Upstart's jobs call them.
 */
class JobToolsIT {

    @TempDir
    Path work;

    @Test
    @Timeout(90)
    void aJobScriptCallsStatusAndInitctlByName() throws Exception {
        Path out = work.resolve("out");
        try (BootedDaemon daemon = BootedDaemon.in(work).job("tools", """
                start on startup
                task
                script
                  status > %1$s.tmp
                  initctl version >> %1$s.tmp
                  echo "$PATH" >> %1$s.tmp
                  mv %1$s.tmp %1$s
                end script
                """.formatted(out)).boot()) {
            Await.until(Duration.ofSeconds(30), () -> Files.exists(out), () -> "the script ran\n" + daemon.logTail());
            String said = Files.readString(out);
            assertTrue(Pattern.compile("\\Atools start/running, process \\d+\ninit \\(upshot [^)]+\\)\n.*:"
                    + Pattern.quote(BootedDaemon.distro().resolve("bin").toString()) + "\n\\z").matcher(said).matches(),
                    said);
        }
    }
}
