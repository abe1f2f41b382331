package org.upshot.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.process.ProcessAttributes;
import org.upshot.process.ProcessExit;
import org.upshot.process.SpawnRequest;
import org.upshot.process.Stdio;

/** PID 1 of a PID namespace: the reaper collects every orphan, and reboot ends the namespace. */
class Pid1ReaperTest {

    @TempDir
    Path tmp;

    Path verdict;
    Path log;

    /** Runs {@code main} as PID 1 of a new PID namespace and returns how unshare ended. */
    ProcessExit runAsPid1(Class<?> main, Duration timeout) throws Exception {
        PosixProcessLauncher launcher = new PosixProcessLauncher();
        ExitRecorder exits = new ExitRecorder();
        launcher.addExitListener(exits);
        verdict = tmp.resolve("verdict");
        log = tmp.resolve("pid1.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = List.of("unshare", "--pid", "--fork", "--mount-proc", java,
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), main.getName(), verdict.toString());
        try {
            int pid = launcher.spawn(new SpawnRequest(argv, List.of("PATH=/usr/bin:/bin"), tmp, new Stdio.Log(log),
                    List.of(), ProcessAttributes.NONE, false));
            return exits.awaitExit(pid, timeout);
        } finally {
            launcher.close();
        }
    }

    @Test
    @Timeout(60)
    void powerOffAsPid1OfANamespaceEndsItWithSigint() throws Exception {
        Assumptions.assumeTrue(ProcessAttributesTest.rootOrSkip("a PID namespace needs root"));
        ProcessExit exit = runAsPid1(Pid1Reboot.class, Duration.ofSeconds(50));
        String output = Files.exists(log) ? Files.readString(log) : "";
        assertEquals("calling reboot", Files.readString(verdict).strip(), output);
        // unshare --fork passes its child's death by SIGINT on as status 128 + 2.
        assertTrue(exit.exited() && exit.exitCode() == 128 + 2 || exit.signalled() && exit.signal() == 2,
                exit + "\n" + output);
    }

    @Test
    @Timeout(120)
    void reaperAsPid1LeavesNoZombieAfterAThousandOrphans() throws Exception {
        Assumptions.assumeTrue(ProcessAttributesTest.rootOrSkip("a PID namespace needs root"));
        ProcessExit exit = runAsPid1(Pid1Stress.class, Duration.ofSeconds(110));
        String output = Files.exists(log) ? Files.readString(log) : "";
        assertTrue(Files.exists(verdict), "no verdict; exit " + exit + ", log:\n" + output);
        String result = Files.readString(verdict).strip();
        System.out.println("PID 1 stress: " + result);
        assertTrue(result.startsWith("ok "), result + "\n" + output);
        assertTrue(result.endsWith(" zombies=0"), result);
        assertEquals(0, exit.exitCode(), output);
    }
}
