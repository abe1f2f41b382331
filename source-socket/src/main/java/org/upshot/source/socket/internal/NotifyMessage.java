package org.upshot.source.socket.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One sd_notify message: newline-separated {@code KEY=VALUE} lines. Unknown keys are
 * kept but never acted on; a line without {@code =} is ignored; a key given twice keeps
 * its last value.
 */
final class NotifyMessage {

    private final Map<String, String> fields;

    private NotifyMessage(Map<String, String> fields) {
        this.fields = fields;
    }

    static NotifyMessage parse(String text) {
        Map<String, String> fields = new HashMap<>();
        for (String line : text.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                fields.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return new NotifyMessage(fields);
    }

    Optional<String> value(String key) {
        return Optional.ofNullable(fields.get(key));
    }

    /** {@code KEY=1}. */
    boolean flag(String key) {
        return "1".equals(fields.get(key));
    }

    /** A positive number of microseconds ({@code WATCHDOG_USEC}, {@code EXTEND_TIMEOUT_USEC}); empty otherwise. */
    Optional<Duration> micros(String key) {
        return positive(key).map(micros -> Duration.ofNanos(Math.multiplyExact(micros, 1000L)));
    }

    /** {@code MAINPID=}, when it is a pid. */
    Optional<Integer> mainPid() {
        return positive("MAINPID").filter(pid -> pid <= Integer.MAX_VALUE).map(Long::intValue);
    }

    private Optional<Long> positive(String key) {
        String text = fields.get(key);
        if (text == null || !text.matches("\\d{1,15}")) {
            return Optional.empty();
        }
        long value = Long.parseLong(text);
        return value > 0 ? Optional.of(value) : Optional.empty();
    }
}
