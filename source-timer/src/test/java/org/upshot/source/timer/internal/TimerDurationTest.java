package org.upshot.source.timer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput.Word;

class TimerDurationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "30s, 30, 30s",
        "5m, 300, 5m",
        "1h30m, 5400, 1h30m",
        "1d, 86400, 1d",
        "90s, 90, 1m30s",
        "2d3h4m5s, 183845, 2d3h4m5s",
        "0h1s, 1, 1s",
    })
    void readsUnitsLargestFirstAndSpellsThemCanonically(String text, long seconds, String canonical)
            throws StanzaException {
        Duration duration = TimerDuration.parse(new Word(text, 2, 7), "every");
        assertEquals(Duration.ofSeconds(seconds), duration);
        assertEquals(canonical, TimerDuration.format(duration));
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({
        "5, is not a duration",
        "5x, is not a duration",
        "1m1h, is not a duration",
        "30S, is not a duration",
        "1.5h, is not a duration",
        "'', is not a duration",
        "0s, out of range",
        "99999999999999999d, out of range",
        "40000d, out of range",
    })
    void badDurationsAreReportedAtTheirWord(String text, String message) {
        StanzaException error = assertThrows(StanzaException.class,
                () -> TimerDuration.parse(new Word(text, 2, 7), "randomized-delay"));
        assertEquals(2, error.line());
        assertEquals(7, error.column());
        assertTrue(error.getMessage().startsWith("randomized-delay: ") && error.getMessage().contains(message),
                error.getMessage());
    }
}
