package org.upshot.process.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.upshot.process.ProcessAttributes;
import org.upshot.process.ResourceLimit;
import org.upshot.process.ResourceLimit.Resource;
import org.upshot.process.SpawnRequest;
import org.upshot.process.Stdio;

/** Which requests need the preamble, and the order of its steps. */
class SetupScriptTest {

    static SpawnRequest with(ProcessAttributes attributes, List<String> env, boolean stop) {
        return new SpawnRequest(List.of("daemon"), env, Path.of("/"), new Stdio.Null(), List.of(3), attributes, stop);
    }

    static final ProcessAttributes ALL = new ProcessAttributes(OptionalInt.of(022), OptionalInt.of(5),
            OptionalInt.of(100), List.of(new ResourceLimit(Resource.NOFILE, 10, 20)), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.of(Path.of("/sys/fs/cgroup/it's")), true);

    @Test
    void plainRequestExecsDirectlyWithoutAShell() {
        assertFalse(SetupScript.needed(with(ProcessAttributes.NONE, List.of("A=1", "LISTEN_FDS=1"), false)));
    }

    @Test
    void eachAttributeListenPidAndStopNeedThePreamble() {
        assertTrue(SetupScript.needed(with(ALL, List.of(), false)));
        assertTrue(SetupScript.needed(with(ProcessAttributes.NONE, List.of("LISTEN_PID="), false)));
        assertTrue(SetupScript.needed(with(ProcessAttributes.NONE, List.of(), true)));
    }

    @Test
    void stepsRunInPrivilegeOrderAndTheReportDescriptorClosesBeforeExec() {
        String script = SetupScript.build(with(ALL, List.of("LISTEN_PID="), true), Identity.UNCHANGED, 4);
        int[] positions = {
            script.indexOf("umask 0022"), script.indexOf("prlimit --pid $$ --nofile=10:20"),
            script.indexOf("oom_score_adj"), script.indexOf("renice -n 5"), script.indexOf("ionice -c 3 -p $$"), script.indexOf("cgroup.procs"),
            script.indexOf("LISTEN_PID=$$"), script.indexOf("exec 4>&-"), script.indexOf("kill -STOP $$"),
            script.indexOf("exec \"$@\"")};
        for (int i = 0; i < positions.length; i++) {
            assertTrue(positions[i] >= 0 && (i == 0 || positions[i] > positions[i - 1]),
                    "step " + i + " out of order in:\n" + script);
        }
        assertTrue(script.contains("'/sys/fs/cgroup/it'\\''s/cgroup.procs'"), "quoted path:\n" + script);
    }

    @Test
    void userSwitchGoesThroughSetprivWithNumericIdsAndGroups() {
        ProcessAttributes user = new ProcessAttributes(OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.empty(), List.of(), Optional.empty(), Optional.of("x"), Optional.empty(), Optional.empty());
        String script = SetupScript.build(with(user, List.of(), false), new Identity(7, 8, List.of(8, 9)), 4);
        assertTrue(script.contains("exec setpriv --reuid=7 --regid=8 --groups=8,9 -- \"$@\""), script);
    }
}
