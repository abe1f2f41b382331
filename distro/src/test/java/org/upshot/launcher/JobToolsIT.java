package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * ifupdown's hook (the Debian package's /etc/network/if-up.d/upshot), run as ifupdown
     * runs it: net-device-up and net-device-down with ifupdown's variables, and
     * static-network-up after {@code ifup -a}; without a daemon it does nothing, quietly.
     */
    @Test
    @Timeout(90)
    void ifupdownsHookAnnouncesInterfaces() throws Exception {
        Path networkUp = work.resolve("network-up");
        try (BootedDaemon daemon = BootedDaemon.in(work)
                .job("dhcp-eth9", "start on net-device-up IFACE=eth9 ADDRFAM=inet METHOD=dhcp\n"
                        + "stop on net-device-down IFACE=eth9\nexec sleep 1000\n")
                .job("network-up", "start on static-network-up\ntask\nexec touch " + networkUp + "\n").boot()) {
            Map<String, String> socket = CommandResult.clientEnvironment(daemon);
            assertEquals(0, hook(socket, "start", "eth9", "dhcp").status());
            daemon.awaitRunning("dhcp-eth9");
            assertEquals(0, hook(socket, "stop", "eth9", "dhcp").status());
            daemon.awaitStopped("dhcp-eth9");
            assertEquals(0, hook(socket, "start", "--all", "").status());
            Await.until(Duration.ofSeconds(30), () -> Files.exists(networkUp), daemon::logTail);
        }
        CommandResult noDaemon = hook(Map.of("UPSHOT_SOCKET", work.resolve("none.sock").toString()), "start", "eth9", "dhcp");
        assertEquals(new CommandResult(0, ""), noDaemon);
    }

    private static CommandResult hook(Map<String, String> environment, String mode, String iface, String method)
            throws IOException, InterruptedException {
        Map<String, String> all = new HashMap<>(environment);
        all.putAll(Map.of("MODE", mode, "IFACE", iface, "LOGICAL", iface, "ADDRFAM", "inet", "METHOD", method,
                "PHASE", mode.equals("start") ? "post-up" : "pre-down"));
        return CommandResult.run(all, List.of(BootedDaemon.distro().resolve("lib/ifupdown/upshot").toString()));
    }
}
