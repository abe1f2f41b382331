package org.upshot.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Decoding of raw waitpid status words, as Linux encodes them. */
class ProcessExitTest {

    @Test
    void exitCodeSevenIsAnExit() {
        ProcessExit exit = new ProcessExit(10, 0x0700);
        assertTrue(exit.exited());
        assertFalse(exit.signalled() || exit.stopped());
        assertEquals(7, exit.exitCode());
        assertEquals("10 exited 7", exit.toString());
    }

    @Test
    void deathBySegvWithCoreDumpIsSignalled() {
        ProcessExit exit = new ProcessExit(10, 0x80 | 11);
        assertTrue(exit.signalled());
        assertFalse(exit.exited() || exit.stopped());
        assertEquals(11, exit.signal());
        assertEquals(11 << 8, exit.normalExitKey());
        assertEquals("10 killed by SEGV", exit.toString());
    }

    @Test
    void stopBySigstopIsNeitherExitNorDeath() {
        ProcessExit stop = new ProcessExit(10, (Signals.STOP << 8) | 0x7f);
        assertTrue(stop.stopped());
        assertFalse(stop.exited() || stop.signalled());
        assertEquals(Signals.STOP, stop.stopSignal());
        assertEquals("10 stopped by STOP", stop.toString());
    }
}
