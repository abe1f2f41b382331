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
import org.upshot.testkit.BootedDaemon;

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

    /**
     * Every catchable signal an init gives no meaning to, sent to PID 1 from inside its
     * namespace (1-31 less HUP, INT, TERM, CHLD, WINCH and PWR, which PID 1 acts on, and
     * KILL and STOP, which cannot be caught; and a real-time one): PID 1, the daemon and
     * its jobs live on, unchanged.
     */
    @Test
    @Timeout(120)
    void pid1OutlivesEverySignalAnInitGivesNoMeaning() throws Exception {
        assumeRootAndUnshare();
        Path done = work.resolve("pelted");
        try (DaemonProcess daemon = DaemonProcess.startAsPid1(work)) {
            daemon.job("sleeper", "start on startup\nexec sleep 1000\n");
            long sleeper = daemon.awaitRunning("sleeper");
            long java = daemonOf(daemon);
            daemon.job("pelter", """
                    task
                    script
                        for signal in 3 4 5 6 7 8 10 11 12 13 14 16 18 20 21 22 23 24 25 26 27 29 31 37; do
                            kill -s $signal 1
                        done
                        touch %s
                    end script
                    """.formatted(done));
            daemon.awaitStopped("pelter");
            daemon.startJob("pelter");
            Await.until(WAIT, () -> Files.exists(done), () -> "the signals sent; log:\n" + tail(daemon.log()));
            assertTrue(daemon.isAlive(), "PID 1 lives");
            assertEquals(java, daemonOf(daemon), "the daemon under PID 1 is the one it was, not a new one");
            assertEquals(sleeper, daemon.awaitRunning("sleeper"), "the job runs on with its pid");
            assertTrue(!daemon.log().contains("starting it again"), tail(daemon.log()));
            assertEquals(0, daemon.stop(WAIT), "TERM still reaches the daemon through PID 1: " + tail(daemon.log()));
        }
    }

    /**
     * A daemon that crashes (here: a SEGV sent to its JVM) is started again by PID 1, which
     * lives on; the new daemon adopts the job the old one left running.
     */
    @Test
    @Timeout(120)
    void pid1StartsACrashedDaemonAgain() throws Exception {
        assumeRootAndUnshare();
        try (DaemonProcess daemon = DaemonProcess.startAsPid1(work)) {
            daemon.job("sleeper", "start on startup\nexec sleep 1000\n");
            long sleeper = daemon.awaitRunning("sleeper");
            long first = daemonOf(daemon);
            // a job runs before the last plugin is active: the first daemon's boot line must be
            // in before the mark, or it would pass for the new daemon's below
            daemon.awaitLog(BootedDaemon.BOOTED);
            int mark = daemon.logMark();
            CommandResult sent = CommandResult.run("kill", "-s", "SEGV", Long.toString(first));
            assertEquals(0, sent.status(), sent::output);
            daemon.awaitLog("PID 1: the daemon \\(pid \\d+\\) died with status 134; starting it again", mark);
            // its crash report (jvm.options: in /tmp, named by the pid it had in the namespace) is this test's litter
            Matcher crashed = Pattern.compile("the daemon \\(pid (\\d+)\\) died").matcher(daemon.log());
            assertTrue(crashed.find());
            Files.deleteIfExists(Path.of("/tmp/upshot-hs_err_pid" + crashed.group(1) + ".log"));
            daemon.awaitLog(BootedDaemon.BOOTED, mark);
            assertTrue(daemon.isAlive(), "PID 1 lives");
            assertTrue(daemonOf(daemon) != first, "a new daemon under PID 1");
            daemon.awaitLog("sleeper adopted: its main process \\(\\d+\\) was left running", mark);
            assertEquals(sleeper, daemon.awaitRunning("sleeper"), "the job's run adopted, not started again");
            assertEquals(0, daemon.stop(WAIT), tail(daemon.log()));
        }
    }

    /** The session daemon takes the signals an init gives no meaning to, real-time ones too, and lives on, its jobs too. */
    @Test
    @Timeout(120)
    void sessionDaemonOutlivesTheSignalsItGivesNoMeaning() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.start(work)) {
            daemon.job("sleeper", "start on startup\nexec sleep 1000\n");
            long sleeper = daemon.awaitRunning("sleeper");
            for (String signal : List.of("USR1", "USR2", "ALRM", "VTALRM", "PROF", "IO", "XCPU", "XFSZ", "STKFLT",
                    "SYS", "TRAP", "PIPE", "TSTP", "TTIN", "TTOU", "34", "40", "64")) {
                CommandResult sent = CommandResult.run("kill", "-s", signal, Long.toString(daemon.pid()));
                assertEquals(0, sent.status(), sent::output);
                // (34-64: the real-time signals by number, as procps kill misreads RTMAX)
                // the daemon still answers after each, and its job runs on
                assertEquals(sleeper, daemon.awaitRunning("sleeper"), "after SIG" + signal);
            }
            assertTrue(daemon.isAlive());
            assertEquals(0, daemon.stop(WAIT), tail(daemon.log()));
        }
    }

    /** The daemon's JVM: the child of {@code daemon}'s PID 1 that runs java. */
    private static long daemonOf(DaemonProcess daemon) {
        long init = daemon.pid();
        return ProcTable.childrenOf(init).stream().filter(p -> p.command().equals("java")).findFirst()
                .orElseThrow(() -> new AssertionError("no java under PID 1: " + ProcTable.childrenOf(init)
                        + "; log:\n" + tail(daemon.log())))
                .pid();
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
