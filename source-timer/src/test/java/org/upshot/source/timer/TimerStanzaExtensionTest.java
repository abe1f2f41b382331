package org.upshot.source.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.upshot.event.Glob;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput;

class TimerStanzaExtensionTest {

    private final TimerStanzaExtension extension = new TimerStanzaExtension();

    /** The stanza as the parser hands it over from line 4, keyword at column 1; "quoted words" stay one. */
    static StanzaInput stanza(String keyword, String... words) {
        List<StanzaInput.Word> arguments = new ArrayList<>();
        int column = keyword.length() + 2;
        for (String word : words) {
            arguments.add(new StanzaInput.Word(word, 4, column));
            column += word.length() + 1 + (word.contains(" ") ? 2 : 0);
        }
        return new StanzaInput("backup", keyword, arguments, 4, 1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "every | 30s                            | every 30s              | every 30s",
        "every | 90s randomized-delay 1m persistent | every 1m30s            | every 1m30s randomized-delay 1m persistent",
        "every | 1d persistent randomized-delay 2h | every 1d               | every 1d randomized-delay 2h persistent",
        "cron  | 0 3 * * mon-fri                | cron 0 3 * * mon-fri   | cron 0 3 * * mon-fri",
        "cron  | @DAILY persistent              | cron @daily            | cron @daily persistent",
    })
    void orsATimerConditionForThisJobIntoStartOn(String keyword, String words, String schedule, String settings)
            throws StanzaException {
        StanzaContribution contribution = extension.parse(stanza(keyword, words.split(" ")));
        assertEquals("timer JOB=backup SCHEDULE=" + Glob.escape(schedule), contribution.startOn().orElseThrow()
                .toString());
        assertEquals(Optional.empty(), contribution.stopOn());
        assertEquals(settings, contribution.settings());
    }

    @Test
    void aQuotedCrontabLineIsOneWordAndReadsAsFiveFields() throws StanzaException {
        StanzaContribution contribution = extension.parse(stanza("cron", "*/5 9-17 * * 1-5", "persistent"));
        assertEquals("cron */5 9-17 * * 1-5 persistent", contribution.settings());
        assertTrue(Glob.compile(((org.upshot.event.EventExpression.Match) contribution.startOn().orElseThrow())
                .arguments().get(1).pattern()).matches("cron */5 9-17 * * 1-5"));
    }

    @Test
    void aBadFieldInAQuotedLineIsReportedAtItsOwnColumn() {
        // cron "0 25 * * *": the quote is at column 6, so the hour field is at column 9
        StanzaException error = assertThrows(StanzaException.class, () -> extension.parse(stanza("cron", "0 25 * * *")));
        assertEquals(4, error.line());
        assertEquals(9, error.column());
        assertEquals("cron: hour: 25 is out of range 0-23", error.getMessage());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "every |                       | 1  | every needs a duration",
        "every | 10                    | 7  | every: '10' is not a duration",
        "every | 1m sometimes          | 10 | every: unexpected 'sometimes': expected randomized-delay DURATION or persistent",
        "every | 1m persistent persistent | 21 | expected each option once",
        "every | 1m randomized-delay   | 10 | randomized-delay needs a duration",
        "every | 1m randomized-delay x | 27 | randomized-delay: 'x' is not a duration",
        "cron  |                       | 1  | cron needs a schedule",
        "cron  | 0 0 * * * weekly      | 16 | cron: unexpected 'weekly'",
    })
    void badArgumentsAreReportedAtTheirWord(String keyword, String words, int column, String message) {
        String[] split = words == null ? new String[0] : words.split(" ");
        StanzaException error = assertThrows(StanzaException.class, () -> extension.parse(stanza(keyword, split)));
        assertEquals(4, error.line());
        assertEquals(column, error.column(), error.getMessage());
        assertTrue(error.getMessage().contains(message), error.getMessage());
    }
}
