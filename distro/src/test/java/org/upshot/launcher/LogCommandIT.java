package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.control.Protocol;
import org.upshot.testkit.Await;
import org.upshot.testkit.BootedDaemon;

/**
 * {@code initctl log JOB [-n N] [-f]} in the booted distribution (issue 19): the last N
 * lines of a job's console log, and following it as the job writes.
 */
class LogCommandIT {

    @TempDir
    Path work;

    @Test
    @Timeout(90)
    void logShowsTheLastLinesAndFollowsWhatTheJobWritesNext() throws Exception {
        try (BootedDaemon daemon = BootedDaemon.in(work)
                .job("talker", "start on startup\nexec sh -c 'for i in 1 2 3 4 5; do echo line$i; done; exec sleep 600'\n")
                .job("ticker", "start on startup\nexec sh -c 'i=0; while :; do i=$((i+1)); echo tick$i; sleep 0.1; done'\n")
                .boot()) {
            daemon.awaitRunning("talker");
            Await.until(BootedDaemon.WAIT, () -> {
                try {
                    return CommandResult.initctl(daemon, "log", "talker").output().endsWith("line5\n");
                } catch (Exception e) {
                    return false;
                }
            }, () -> "talker's five lines in its log");
            assertEquals(new CommandResult(0, "line1\nline2\nline3\nline4\nline5\n"),
                    CommandResult.initctl(daemon, "log", "talker"));
            assertEquals(new CommandResult(0, "line4\nline5\n"), CommandResult.initctl(daemon, "log", "talker", "-n", "2"));
            assertEquals(new CommandResult(0, "line5\n"), CommandResult.initctl(daemon, "log", "-n1", "talker"));
            assertEquals(new CommandResult(0, ""), CommandResult.initctl(daemon, "log", "talker", "--lines=0"));

            // -f: the last line, then every line the ticker writes after it, until we end it
            ProcessBuilder builder = new ProcessBuilder(BootedDaemon.distro().resolve("bin/initctl").toString(),
                    "log", "ticker", "-n", "1", "-f").redirectErrorStream(true);
            builder.environment().put(Protocol.SOCKET_ENV, daemon.runtimeDir().resolve(Protocol.SOCKET_NAME).toString());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process follow = builder.start();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(follow.getInputStream(),
                    StandardCharsets.UTF_8))) {
                List<Integer> ticks = new ArrayList<>();
                while (ticks.size() < 5) {
                    String line = lines.readLine();
                    assertTrue(line != null && line.startsWith("tick"), "a tick line: " + line + " after " + ticks);
                    ticks.add(Integer.parseInt(line.substring(4)));
                }
                for (int i = 1; i < ticks.size(); i++) {
                    assertEquals(ticks.get(i - 1) + 1, ticks.get(i), "consecutive lines as written: " + ticks);
                }
                assertTrue(follow.isAlive(), "-f keeps following");
            } finally {
                follow.destroy(); // SIGTERM, as Ctrl-C's SIGINT would end it
                follow.waitFor();
            }
        }
    }
}
