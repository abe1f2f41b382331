package org.upshot.source.timer.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput.Word;

/**
 * When a timer fires: every so long, or at the times a crontab line names. {@link #text()}
 * is the canonical spelling, the {@code SCHEDULE} of the timer's events.
 */
public sealed interface Schedule {

    /** The stanza keyword of an interval. */
    String EVERY = "every";
    /** The stanza keyword of a crontab line. */
    String CRON = "cron";

    /** {@code every 1h30m}, {@code cron 0 3 * * *}, {@code cron @daily}. */
    String text();

    /** Every {@code period}, counted from when the timer starts. */
    record Every(Duration period) implements Schedule {
        @Override
        public String text() {
            return EVERY + " " + TimerDuration.format(period);
        }
    }

    /** At each minute {@code spec} names, in the daemon's time zone. */
    record Cron(CronSpec spec) implements Schedule {
        @Override
        public String text() {
            return CRON + " " + spec.text();
        }
    }

    /** A schedule and how many of {@code words} (after the keyword) it took. */
    record Parsed(Schedule schedule, int words) {}

    /**
     * Reads the schedule of stanza {@code keyword} from the start of {@code words}.
     *
     * @param line line of the keyword, for an error when no word is given
     * @param column column of the keyword
     * @throws StanzaException at the offending word
     */
    static Parsed parse(String keyword, List<Word> words, int line, int column) throws StanzaException {
        if (keyword.equals(CRON)) {
            CronSpec.Parsed cron = CronSpec.parse(words, line, column);
            return new Parsed(new Cron(cron.spec()), cron.words());
        }
        if (words.isEmpty()) {
            throw new StanzaException("every needs a duration: every DURATION, such as every 30s, every 5m,"
                    + " every 1h30m or every 1d", line, column);
        }
        return new Parsed(new Every(TimerDuration.parse(words.get(0), EVERY)), 1);
    }

    /**
     * The schedule {@code text} spells in full, keyword included, as a {@code SCHEDULE}
     * value ({@code every 5m}, {@code cron 0 3 * * *}).
     *
     * @throws StanzaException when it does not; positions are columns within the text
     */
    static Schedule parse(String text) throws StanzaException {
        List<Word> words = new ArrayList<>();
        for (int start = 0, end; start < text.length(); start = end + 1) {
            end = text.indexOf(' ', start);
            end = end < 0 ? text.length() : end;
            if (end > start) {
                words.add(new Word(text.substring(start, end), 1, start + 1));
            }
        }
        if (words.isEmpty() || !(words.get(0).text().equals(EVERY) || words.get(0).text().equals(CRON))) {
            throw new StanzaException("'" + text + "' is no schedule: expected every DURATION or cron LINE", 1, 1);
        }
        List<Word> rest = words.subList(1, words.size());
        Parsed parsed = parse(words.get(0).text(), rest, 1, 1);
        if (parsed.words() != rest.size()) {
            throw StanzaException.at(rest.get(parsed.words()), "unexpected '" + rest.get(parsed.words()).text()
                    + "' after the schedule");
        }
        return parsed.schedule();
    }
}
