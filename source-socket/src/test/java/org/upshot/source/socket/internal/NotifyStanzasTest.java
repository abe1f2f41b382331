package org.upshot.source.socket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput;

/** The sd_notify stanzas, offline (no socket), and the pieces they are read with. */
class NotifyStanzasTest {

    /** {@code keyword words...} on line 4, the words one column apart after the keyword. */
    private static StanzaInput stanza(String keyword, String... words) {
        List<StanzaInput.Word> parsed = new ArrayList<>();
        int column = keyword.length() + 2;
        for (String word : words) {
            parsed.add(new StanzaInput.Word(word, 4, column));
            column += word.length() + 1;
        }
        return new StanzaInput("svc", keyword, parsed, 4, 1);
    }

    @Test
    void eachStanzaIsWrittenBackCanonically() throws StanzaException {
        StanzaContribution expect = NotifyStanzas.parse(stanza("expect notify"), null);
        assertEquals("expect notify", expect.settings());
        assertTrue(expect.readiness().isPresent());
        StanzaContribution watchdog = NotifyStanzas.parse(stanza("watchdog", "1m30s"), null);
        assertEquals("watchdog 1m30s", watchdog.settings());
        assertEquals(Map.of("WATCHDOG_USEC", "90000000", "WATCHDOG_PID", ""), watchdog.environment());
        assertEquals("notify-access all", NotifyStanzas.parse(stanza("notify-access", "all"), null).settings());
    }

    @Test
    void badWordsAreErrorsAtTheirColumn() {
        StanzaException duration = assertThrows(StanzaException.class,
                () -> NotifyStanzas.parse(stanza("watchdog", "soon"), null));
        assertEquals("expected a positive duration such as 30s, 500ms, 2m or 1m30s, not 'soon'", duration.getMessage());
        assertEquals(10, duration.column());
        StanzaException access = assertThrows(StanzaException.class,
                () -> NotifyStanzas.parse(stanza("notify-access", "exec"), null));
        assertEquals("expected main or all, not 'exec'", access.getMessage());
        StanzaException extra = assertThrows(StanzaException.class,
                () -> NotifyStanzas.parse(stanza("expect notify", "now"), null));
        assertEquals("unexpected 'now' after expect notify", extra.getMessage());
        StanzaException missing = assertThrows(StanzaException.class,
                () -> NotifyStanzas.parse(stanza("watchdog"), null));
        assertEquals("watchdog expects a duration such as 30s", missing.getMessage());
        assertThrows(StanzaException.class, () -> NotifyStanzas.parse(stanza("watchdog", "0s"), null));
    }

    @Test
    void durationsReadAndWriteBack() {
        assertEquals(Duration.ofSeconds(30), Durations.parse("30"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertNull(Durations.parse("1h 30m"));
        assertNull(Durations.parse("s"));
        assertNull(Durations.parse("-5s"));
        assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    }

    @Test
    void messagesAreKeyValueLines() {
        NotifyMessage message = NotifyMessage.parse("READY=1\nSTATUS=a=b\nMAINPID=42\nWATCHDOG_USEC=250000\nnoise\n");
        assertTrue(message.flag("READY"));
        assertEquals("a=b", message.value("STATUS").orElseThrow());
        assertEquals(42, message.mainPid().orElseThrow());
        assertEquals(Duration.ofMillis(250), message.micros("WATCHDOG_USEC").orElseThrow());
        NotifyMessage odd = NotifyMessage.parse("READY=0\nMAINPID=0\nEXTEND_TIMEOUT_USEC=9999999999999999999");
        assertTrue(!odd.flag("READY") && odd.mainPid().isEmpty() && odd.micros("EXTEND_TIMEOUT_USEC").isEmpty());
    }
}
