package org.upshot.source.timer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quartz.CronExpression;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput.Word;

class CronSpecTest {

    /** The words of a stanza on line 3 whose first argument is at column 6, single-spaced. */
    static List<Word> words(String line) {
        List<Word> words = new ArrayList<>();
        int column = 6;
        for (String text : line.split(" ")) {
            words.add(new Word(text, 3, column));
            column += text.length() + 1;
        }
        return words;
    }

    static CronSpec cron(String line) throws StanzaException {
        return CronSpec.parse(words(line), 3, 1).spec();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "0 3 * * *              | 0 0 3 * * ?",
        "*/15 * * * *           | 0 0,15,30,45 * * * ?",
        "0 9-17/2 * * mon-fri   | 0 0 9,11,13,15,17 ? * 2,3,4,5,6",
        "0 0 * * 0              | 0 0 0 ? * 1",
        "0 0 * * 7              | 0 0 0 ? * 1",
        "0 0 * * SUN            | 0 0 0 ? * 1",
        "0 0 * * 5-7            | 0 0 0 ? * 1,6,7",
        "30 4 * jan,Jul *       | 0 30 4 * 1,7 ?",
        "0 0 1,15 * 1           | 0 0 0 1,15 * ?; 0 0 0 ? * 2",
        "0 0 */2 * 1            | 0 0 0 ? * 2",
        "0 0 1-31 * 0-6         | 0 0 0 * * ?",
        "0 22 * 11-12,1-2/1 *   | 0 0 22 * 1,2,11,12 ?",
        "@hourly                | 0 0 * * * ?",
        "@daily                 | 0 0 0 * * ?",
        "@midnight              | 0 0 0 * * ?",
        "@weekly                | 0 0 0 ? * 1",
        "@monthly               | 0 0 0 1 * ?",
        "@yearly                | 0 0 0 1 1 ?",
        "@annually              | 0 0 0 1 1 ?",
    })
    void translatesToQuartzExpressionsQuartzAccepts(String line, String expected) throws Exception {
        CronSpec spec = cron(line);
        assertEquals(List.of(expected.split("; ")), spec.quartzExpressions());
        for (String expression : spec.quartzExpressions()) {
            assertTrue(CronExpression.isValidExpression(expression), expression);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // Vixie's rule: neither day field starts with *, so a day matching either fires
        "0 12 13 * 5            | 2024-09-06T12:00, 2024-09-13T12:00, 2024-09-20T12:00, 2024-09-27T12:00, 2024-10-04T12:00",
        // day of month starts with *: a day must match both (odd days that are Mondays)
        "0 0 */2 * mon          | 2024-09-09T00:00, 2024-09-23T00:00, 2024-10-07T00:00, 2024-10-21T00:00, 2024-11-11T00:00",
        // day of week starts with *: both again; every day of week, so the 31st alone
        "0 0 31 * *             | 2024-10-31T00:00, 2024-12-31T00:00, 2025-01-31T00:00, 2025-03-31T00:00, 2025-05-31T00:00",
        "*/20 23 * * 0          | 2024-09-01T23:00, 2024-09-01T23:20, 2024-09-01T23:40, 2024-09-08T23:00, 2024-09-08T23:20",
    })
    void slotsFollowVixieCronsDayRule(String line, String expected) throws Exception {
        ZoneId zone = ZoneId.systemDefault();
        QuartzCron cron = new QuartzCron(cron(line));
        List<String> slots = new ArrayList<>();
        Instant after = LocalDateTime.parse("2024-09-01T00:30").atZone(zone).toInstant();
        for (int i = 0; i < 5; i++) {
            after = cron.next(after).orElseThrow();
            slots.add(LocalDateTime.ofInstant(after, zone).toString());
        }
        assertEquals(List.of(expected.split(", ")), slots);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "0 0 */2 * 1            | 1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31",
        "0 0 1,15 * 1           | ",
        "0 0 * * 1              | ",
    })
    void onlyBothDayFieldsRestrictingNeedADayOfMonthFilter(String line, String days) throws Exception {
        Optional<BitSet> required = cron(line).requiredDaysOfMonth();
        assertEquals(days == null ? "" : days, required.map(bits -> bits.stream().mapToObj(Integer::toString)
                .reduce((a, b) -> a + "," + b).orElse("")).orElse(""));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "61 * * * *             | 6  | minute: 61 is out of range 0-59",
        "* 24 * * *             | 8  | hour: 24 is out of range 0-23",
        "0 0 32 * *             | 10 | day of month: 32 is out of range 1-31",
        "0 0 0 * *              | 10 | day of month: 0 is out of range 1-31",
        "0 0 * 13 *             | 12 | month: 13 is out of range 1-12",
        "0 0 * * 8              | 14 | day of week: 8 is out of range 0-7",
        "0 0 * foo *            | 12 | month: 'foo': expected a number from 1 to 12 or a name (jan, feb...)",
        "0 0,x * * *            | 10 | hour: 'x': expected a number from 0 to 23",
        "5-1 * * * *            | 6  | minute: range 5-1 runs backwards",
        "5/10 * * * *           | 6  | minute: a step needs a range: expected */10 or FROM-TO/10",
        "*/0 * * * *            | 8  | minute: step '0': expected a number from 1 to 60",
        "1-5/x * * * *          | 10 | minute: step 'x'",
        "0 0 * *                | 12 | 4 fields: expected five fields",
        "@reboot                | 6  | unknown '@reboot'",
        "@often                 | 6  | unknown '@often'",
    })
    void badLinesAreReportedAtTheirFieldWithWhatWasExpected(String line, int column, String message) {
        StanzaException error = assertThrows(StanzaException.class, () -> cron(line));
        assertEquals(3, error.line());
        assertEquals(column, error.column(), error.getMessage());
        assertTrue(error.getMessage().startsWith("cron: ") && error.getMessage().contains(message), error.getMessage());
    }
}
