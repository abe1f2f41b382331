package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.upshot.testkit.BootedDaemon;

/**
 * The man pages in the distribution (issue 19): built from src/man by pandoc into
 * share/man, readable by man(1), and upshot-job(5) covers the whole job-file language.
 */
class ManPagesIT {

    /** Every built-in keyword (parse/Stanzas) and every plugin's (their @StanzaDeclaration). */
    private static final List<String> KEYWORDS = List.of("exec", "script", "pre-start", "post-start", "pre-stop",
            "post-stop", "start on", "stop on", "manual", "emits", "export", "env", "task", "debug", "respawn",
            "respawn limit", "normal exit", "instance", "description", "author", "version", "usage", "chdir",
            "chroot", "setuid", "setgid", "kill signal", "kill timeout", "reload signal", "expect", "start timeout",
            "console", "umask", "nice", "oom score", "limit", "apparmor switch", "apparmor load", "cgroup", "needs",
            "socket", "expect listen", "expect notify", "watchdog", "notify-access", "watch", "every", "cron", "tick");

    private static final Path MAN = Path.of("/usr/bin/man");

    @Test
    @Timeout(60)
    void theDistributionHasTheThreePagesAndTheJobPageNamesEveryStanza() throws Exception {
        Path share = BootedDaemon.distro().resolve("share/man");
        Map<String, String> pages = Map.of("man8/upshot.8", "UPSHOT", "man8/initctl.8", "INITCTL",
                "man5/upshot-job.5", "UPSHOT-JOB");
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Path file = share.resolve(page.getKey());
            assertTrue(Files.isRegularFile(file), file + " (built with -Dupshot.man.skip=true?)");
            String section = page.getKey().substring(page.getKey().length() - 1);
            assertTrue(Files.readString(file).contains(".TH \"" + page.getValue() + "\" \"" + section + "\""),
                    file + " is a man page of section " + section);
        }
        String job = Files.readString(share.resolve("man5/upshot-job.5")).replace("\\-", "-").replace("\\f[B]", "")
                .replace("\\f[R]", "");
        for (String keyword : KEYWORDS) {
            assertTrue(job.contains(keyword), "upshot-job(5) documents '" + keyword + "'");
        }

        Prerequisites.requireInstalled(ManPagesIT.class, "man-db", MAN);
        CommandResult rendered = CommandResult.run(Map.of("MANWIDTH", "80"),
                List.of(MAN.toString(), "-l", share.resolve("man8/initctl.8").toString()));
        assertEquals(0, rendered.status(), rendered.output());
        assertTrue(rendered.output().contains("boot-chart [-o FILE.svg]"), rendered.output());
    }
}
