package org.upshot.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.engine.internal.api.JobControl.PowerAction;
import org.upshot.event.Event;

class RunlevelsTest {

    @TempDir
    Path run;

    private String record() throws IOException {
        return Files.readString(run.resolve(Runlevels.RECORD));
    }

    @Test
    void eachRunlevelEventIsRecordedAsPreviousAndCurrent() throws IOException {
        // telinit's events, as the runlevel tool then prints them
        Runlevels runlevels = new Runlevels(run);
        runlevels.accept(Event.of("runlevel", "RUNLEVEL=2", "PREVLEVEL=N"));
        assertEquals("N 2\n", record());
        runlevels.accept(Event.of("runlevel", "RUNLEVEL=1", "PREVLEVEL=2"));
        assertEquals("2 1\n", record());
        // emitted by hand without PREVLEVEL: the level before is the one recorded
        runlevels.accept(Event.of("runlevel", "RUNLEVEL=3"));
        assertEquals("1 3\n", record());
    }

    @Test
    void otherEventsAndARunlevelEventWithoutALevelChangeNothing() {
        Runlevels runlevels = new Runlevels(run);
        runlevels.accept(Event.of("startup"));
        runlevels.accept(Event.of("runlevel"));
        assertFalse(Files.exists(run.resolve(Runlevels.RECORD)));
        assertEquals(Event.of("runlevel", "RUNLEVEL=6", "PREVLEVEL=N"), runlevels.shutdownEvent(PowerAction.REBOOT));
    }

    @Test
    void theShutdownEventsAreUpstartsFromTheCurrentLevel() {
        Runlevels runlevels = new Runlevels(run);
        runlevels.accept(Event.of("runlevel", "RUNLEVEL=2", "PREVLEVEL=N"));
        assertEquals(Event.of("runlevel", "RUNLEVEL=6", "PREVLEVEL=2"), runlevels.shutdownEvent(PowerAction.REBOOT));
        assertEquals(Event.of("runlevel", "RUNLEVEL=0", "PREVLEVEL=2", "INIT_HALT=HALT"),
                runlevels.shutdownEvent(PowerAction.HALT));
        assertEquals(Event.of("runlevel", "RUNLEVEL=0", "PREVLEVEL=2", "INIT_HALT=POWEROFF"),
                runlevels.shutdownEvent(PowerAction.POWEROFF));
    }

    @Test
    void aDaemonStartedAgainReadsTheLevelBack() throws IOException {
        // the daemon restarted by bin/upshot's PID 1 after a crash: the system is still at 3
        Files.writeString(run.resolve(Runlevels.RECORD), "2 3\n");
        Runlevels runlevels = new Runlevels(run);
        assertEquals(Event.of("runlevel", "RUNLEVEL=0", "PREVLEVEL=3", "INIT_HALT=HALT"),
                runlevels.shutdownEvent(PowerAction.HALT));
    }
}
