package org.upshot.source.timer.internal;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput.Word;

/**
 * Durations as job files write them: a number and a unit, largest unit first, each unit
 * at most once: {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 1d}.
 */
public final class TimerDuration {

    private static final Pattern SYNTAX = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    private static final long[] UNIT_SECONDS = {86_400, 3_600, 60, 1};
    private static final String[] UNIT_NAMES = {"d", "h", "m", "s"};
    /** Far beyond any timer, and safely inside {@link Duration}'s and Quartz's range. */
    private static final long MAX_SECONDS = 100L * 366 * 86_400;

    private TimerDuration() {}

    /**
     * The duration {@code word} spells.
     *
     * @param what the stanza part it is, for the message ({@code every}, {@code randomized-delay})
     * @throws StanzaException at the word when it is not a positive duration
     */
    public static Duration parse(Word word, String what) throws StanzaException {
        Matcher matcher = SYNTAX.matcher(word.text());
        if (word.text().isEmpty() || !matcher.matches()) {
            throw StanzaException.at(word, what + ": '" + word.text() + "' is not a duration: expected numbers with"
                    + " units d, h, m, s, largest first, such as 30s, 5m, 1h30m or 1d");
        }
        long seconds = 0;
        for (int unit = 0; unit < UNIT_SECONDS.length; unit++) {
            String count = matcher.group(unit + 1);
            if (count != null) {
                // more digits than a long holds is as much "too long" as a big value
                seconds += count.length() > 12 ? MAX_SECONDS + 1 : Long.parseLong(count) * UNIT_SECONDS[unit];
            }
        }
        if (seconds == 0 || seconds > MAX_SECONDS) {
            throw StanzaException.at(word, what + ": " + word.text() + " is out of range: expected from 1s to "
                    + MAX_SECONDS / 86_400 + "d");
        }
        return Duration.ofSeconds(seconds);
    }

    /** The canonical spelling, largest units first: 90 s is {@code 1m30s}. */
    public static String format(Duration duration) {
        long rest = duration.getSeconds();
        StringBuilder text = new StringBuilder();
        for (int unit = 0; unit < UNIT_SECONDS.length; unit++) {
            if (rest >= UNIT_SECONDS[unit]) {
                text.append(rest / UNIT_SECONDS[unit]).append(UNIT_NAMES[unit]);
                rest %= UNIT_SECONDS[unit];
            }
        }
        return text.toString();
    }
}
