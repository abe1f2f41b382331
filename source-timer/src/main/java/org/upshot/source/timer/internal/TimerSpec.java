package org.upshot.source.timer.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput.Word;

/**
 * One {@code every} or {@code cron} stanza: the schedule and its options.
 *
 * <pre>
 * every DURATION [randomized-delay DURATION] [persistent]
 * cron "MIN HOUR DOM MON DOW" [randomized-delay DURATION] [persistent]
 * </pre>
 *
 * @param schedule when it fires
 * @param randomizedDelay each fire waits a random time from zero to this long; zero for none
 * @param persistent a slot missed while the daemon was down fires once when it is back
 */
public record TimerSpec(Schedule schedule, Duration randomizedDelay, boolean persistent) {

    /** The keywords of the stanzas. */
    public static final List<String> KEYWORDS = List.of(Schedule.EVERY, Schedule.CRON);

    private static final String RANDOMIZED_DELAY = "randomized-delay";
    private static final String PERSISTENT = "persistent";

    public TimerSpec {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(randomizedDelay, "randomizedDelay");
    }

    /** A timer with no options, as a {@code start on timer SCHEDULE=...} condition makes. */
    public static TimerSpec plain(Schedule schedule) {
        return new TimerSpec(schedule, Duration.ZERO, false);
    }

    /**
     * Reads stanza {@code keyword} from its arguments.
     *
     * @param line line of the keyword
     * @param column column of the keyword
     * @throws StanzaException at the offending word, naming what was expected
     */
    public static TimerSpec parse(String keyword, List<Word> arguments, int line, int column)
            throws StanzaException {
        Schedule.Parsed parsed = Schedule.parse(keyword, arguments, line, column);
        Optional<Duration> delay = Optional.empty();
        boolean persistent = false;
        List<Word> options = arguments.subList(parsed.words(), arguments.size());
        for (int i = 0; i < options.size(); i++) {
            Word option = options.get(i);
            if (option.text().equals(PERSISTENT) && !persistent) {
                persistent = true;
            } else if (option.text().equals(RANDOMIZED_DELAY) && delay.isEmpty()) {
                if (i + 1 == options.size()) {
                    throw StanzaException.at(option, keyword + ": randomized-delay needs a duration, such as 30s");
                }
                delay = Optional.of(TimerDuration.parse(options.get(++i), RANDOMIZED_DELAY));
            } else {
                throw StanzaException.at(option, keyword + ": unexpected '" + option.text() + "': expected "
                        + (persistent || delay.isPresent() ? "each option once: " : "")
                        + "randomized-delay DURATION or persistent");
            }
        }
        return new TimerSpec(parsed.schedule(), delay.orElse(Duration.ZERO), persistent);
    }

    /** The stanza's canonical text, for {@code show-config}: {@code every 1h randomized-delay 5m persistent}. */
    public String settings() {
        StringBuilder text = new StringBuilder(schedule.text());
        if (!randomizedDelay.isZero()) {
            text.append(' ').append(RANDOMIZED_DELAY).append(' ').append(TimerDuration.format(randomizedDelay));
        }
        if (persistent) {
            text.append(' ').append(PERSISTENT);
        }
        return text.toString();
    }
}
