package org.upshot.engine.internal.job;

import java.util.List;
import org.junit.jupiter.api.Test;

class DebugIT {
    @Test
    void debug() throws Exception {
        try (EngineHarness h = new EngineHarness()) {
            h.job("sobby", "exec sh -c 'echo run >> " + h.file("runs") + "; exit 3'", "respawn",
                    "respawn limit 10 5", "normal exit 0 ABRT").load();
            h.control.start("sobby", List.of(), false);
            Thread.sleep(2000);
            System.out.println("EVENTS " + h.events);
            System.out.println("RUNS " + h.lines("runs"));
            Thread.getAllStackTraces().forEach((t, st) -> { if (t.getName().contains("reaper") || t.getName().contains("engine")) { System.out.println("THREAD " + t.getName() + " " + t.getState()); for (var f : st) System.out.println("   at " + f); } });
            int p = h.mainPid("sobby"); System.out.println("PROC " + (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/" + p)) ? EngineHarness.proc(p, "stat") : "gone"));
            System.out.println("STATUS " + h.status("sobby"));
        }
    }
}
