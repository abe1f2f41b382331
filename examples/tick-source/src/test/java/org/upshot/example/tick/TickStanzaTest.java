package org.upshot.example.tick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput;

class TickStanzaTest {

    private static StanzaInput stanza(String... words) {
        List<StanzaInput.Word> arguments = new java.util.ArrayList<>();
        int column = 6;
        for (String word : words) {
            arguments.add(new StanzaInput.Word(word, 3, column));
            column += word.length() + 1;
        }
        return new StanzaInput("j", "tick", arguments, 3, 1);
    }

    @Test
    void tickSecondsIsAStartCondition() throws StanzaException {
        // or-ed into start on by the engine.
        assertEquals("tick PERIOD=5", new TickStanza().parse(stanza("5")).startOn().orElseThrow().toString());
    }

    @Test
    void aBadPeriodIsReportedAtItsWord() {
        // the engine renders it file:line:column.
        StanzaException e = assertThrows(StanzaException.class, () -> new TickStanza().parse(stanza("soon")));
        assertEquals(List.of(3, 6), List.of(e.line(), e.column()));
        assertEquals("tick: 'soon' is not a whole number of seconds from 1", e.getMessage());
        assertThrows(StanzaException.class, () -> new TickStanza().parse(stanza("0")));
        StanzaException missing = assertThrows(StanzaException.class, () -> new TickStanza().parse(stanza()));
        assertEquals(List.of(3, 1), List.of(missing.line(), missing.column()));
    }
}
