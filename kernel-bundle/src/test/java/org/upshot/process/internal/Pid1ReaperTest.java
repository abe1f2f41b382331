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

/** The reaper as PID 1 of a PID namespace collects every orphan: no zombie is left. */
class Pid1ReaperTest {

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void reaperAsPid1LeavesNoZombieAfterAThousandOrphans() throws Exception {
        Assumptions.assumeTrue(ProcessAttributesTest.rootOrSkip("a PID namespace needs root"));
        PosixProcessLauncher launcher = new PosixProcessLauncher();
        ExitRecorder exits = new ExitRecorder();
        launcher.addExitListener(exits);
        Path verdict = tmp.resolve("verdict");
        Path log = tmp.resolve("pid1.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = List.of("unshare", "--pid", "--fork", "--mount-proc", java,
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Pid1Stress.class.getName(), verdict.toString());
        int pid = launcher.spawn(new SpawnRequest(argv, List.of("PATH=/usr/bin:/bin"), tmp, new Stdio.Log(log),
                List.of(), ProcessAttributes.NONE, false));
        ProcessExit exit = exits.awaitExit(pid, Duration.ofSeconds(110));
        launcher.close();
        String output = Files.exists(log) ? Files.readString(log) : "";
        assertTrue(Files.exists(verdict), "no verdict; exit " + exit + ", log:\n" + output);
        String result = Files.readString(verdict).strip();
        System.out.println("PID 1 stress: " + result);
        assertTrue(result.startsWith("ok "), result + "\n" + output);
        assertTrue(result.endsWith(" zombies=0"), result);
        assertEquals(0, exit.exitCode(), output);
    }
}
