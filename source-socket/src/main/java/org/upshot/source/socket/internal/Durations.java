package org.upshot.source.socket.internal;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput;

/** Durations in job files: {@code 30} (seconds), {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, {@code 1m30s}. */
final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private Durations() {}

    /** Reads {@code word}, which must be positive; the error names what was expected. */
    static Duration parse(StanzaInput.Word word) throws StanzaException {
        Duration parsed = parse(word.text());
        if (parsed == null || parsed.isZero()) {
            throw new StanzaException("expected a positive duration such as 30s, 500ms, 2m or 1m30s, not '"
                    + word.text() + "'", word.line(), word.column());
        }
        return parsed;
    }

    /** {@code text} as a duration; null if it is not one. */
    static Duration parse(String text) {
        if (text.matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        Matcher part = PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
            end = part.end();
        }
        return end == text.length() && end > 0 ? total : null;
    }

    /** The shortest text {@link #parse} reads back as {@code duration}. */
    static String format(Duration duration) {
        if (duration.toMillisPart() != 0 || duration.isZero()) {
            return duration.toMillis() + "ms";
        }
        StringBuilder text = new StringBuilder();
        if (duration.toHours() > 0) {
            text.append(duration.toHours()).append('h');
        }
        if (duration.toMinutesPart() > 0) {
            text.append(duration.toMinutesPart()).append('m');
        }
        if (duration.toSecondsPart() > 0) {
            text.append(duration.toSecondsPart()).append('s');
        }
        return text.toString();
    }
}
