package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.Await;

/** The daemon as an init: PID 1 of a namespace, and child subreaper in session mode. */
class Pid1IT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int ORPHANS = 1000;
    private static final Pattern REAPED = Pattern.compile("Reaper: reaped \\d+");

    @TempDir
    Path work;

    @Test
    @Timeout(240)
    void pid1ReapsAThousandDoubleForkedOrphansAndLeavesNoZombie() throws Exception {
        assumeRootAndUnshare();
        Path done = work.resolve("orphans-done");
        try (DaemonProcess daemon = DaemonProcess.startAsPid1(work)) {
            daemon.job("orphans", """
                    start on startup
                    task
                    script
                        i=0
                        while [ $i -lt %d ]; do
                            sh -c 'sleep 0.1 &'
                            i=$((i + 1))
                        done
                        touch %s
                    end script
                    """.formatted(ORPHANS, done));
            long init = daemon.pid();
            Await.until(Duration.ofSeconds(180), () -> Files.exists(done) || !daemon.isAlive(),
                    () -> "the orphan maker to finish; log tail:\n" + tail(daemon.log()));
            assertTrue(daemon.isAlive(), daemon.log());

            // Every orphan re-parented to PID 1 exits after 0.1 s; reaped, none is left behind.
            Await.until(WAIT, () -> ProcTable.childrenOf(init).stream().noneMatch(p -> p.command().equals("sleep")),
                    () -> "the orphans to be reaped; children of PID 1: " + ProcTable.childrenOf(init));
            List<ProcTable.Proc> zombies = ProcTable.childrenOf(init).stream().filter(p -> p.state() == 'Z').toList();
            assertEquals(List.of(), zombies, "zombies left under PID 1");
            Await.until(WAIT, () -> count(REAPED, daemon.log()) >= ORPHANS,
                    () -> "reaper to report " + ORPHANS + " exits, saw " + count(REAPED, daemon.log()));
            assertTrue(daemon.log().contains("started in system mode"), daemon.log());

            // Container init: SIGTERM stops every job in order, then exits 0.
            assertEquals(0, daemon.stop(WAIT), tail(daemon.log()));
        }
    }

    @Test
    @Timeout(120)
    void pid1KeepsReapingWhenTheFrameworkCannotStart() throws Exception {
        assumeRootAndUnshare();
        // A runtime directory under a regular file cannot be created: Felix never starts.
        Path blocker = Files.writeString(work.resolve("not-a-directory"), "");
        try (DaemonProcess daemon = DaemonProcess.startAsPid1(work, "--runtime-dir", blocker.resolve("run").toString())) {
            daemon.awaitLog("cannot run the OSGi framework");
            daemon.awaitLog("running without the framework: only reaping orphans");
            assertTrue(daemon.isAlive(), "PID 1 must not exit on error:\n" + daemon.log());
            assertEquals(0, daemon.stop(WAIT), daemon.log());
        }
    }

    @Test
    @Timeout(120)
    void sessionDaemonAdoptsTheGrandchildOfADoubleForkingJob() throws Exception {
        Path pidFile = work.resolve("grandchild.pid");
        try (DaemonProcess daemon = DaemonProcess.start(work)) {
            daemon.job("forker", """
                    start on startup
                    task
                    exec sh -c 'sleep 300 & echo $! > %s.tmp; mv %s.tmp %s'
                    """.formatted(pidFile, pidFile, pidFile));
            Await.until(WAIT, () -> Files.exists(pidFile), () -> "the job to fork; log:\n" + daemon.log());
            long grandchild = Long.parseLong(Files.readString(pidFile).strip());

            Await.until(WAIT, () -> parentOf(grandchild) == daemon.pid(),
                    () -> "grandchild " + grandchild + " re-parented to the daemon " + daemon.pid()
                            + ", its parent is " + parentOf(grandchild));
            ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroy);
            Await.until(WAIT, () -> ProcTable.process(grandchild) == null,
                    () -> "the adopted grandchild reaped, it is " + ProcTable.process(grandchild));
        }
    }

    private static long parentOf(long pid) {
        ProcTable.Proc proc = ProcTable.process(pid);
        return proc == null ? -1 : proc.ppid();
    }

    private static void assumeRootAndUnshare() {
        boolean root = ProcTable.runningAsRoot();
        boolean unshare = Files.isExecutable(Path.of(DaemonProcess.UNSHARE));
        if (!root || !unshare) {
            System.out.println("Pid1IT: skipped: PID namespaces need root and " + DaemonProcess.UNSHARE
                    + " (root=" + root + ", unshare=" + unshare + ")");
        }
        Assumptions.assumeTrue(root && unshare, "needs root and unshare");
    }

    private static int count(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    private static String tail(String log) {
        return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
    }
}
