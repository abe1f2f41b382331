package org.upshot.process;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/** Linux signal names and numbers, as job files and job events spell them. */
public final class Signals {

    public static final int HUP = 1;
    public static final int INT = 2;
    public static final int ABRT = 6;
    public static final int KILL = 9;
    public static final int TERM = 15;
    public static final int CONT = 18;
    public static final int STOP = 19;

    private static final String[] NAMES = {
        null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
        "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
        "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"
    };

    private static final Map<String, Integer> ALIASES = Map.of("IOT", 6, "POLL", 29, "CLD", 17);

    private Signals() {}

    /**
     * The name without {@code SIG} ({@code SEGV}), or the number as text for signals
     * with no name (real-time signals), as Upstart's {@code EXIT_SIGNAL} does.
     */
    public static String name(int signal) {
        return signal > 0 && signal < NAMES.length ? NAMES[signal] : Integer.toString(signal);
    }

    /**
     * The number for a name with or without {@code SIG} ({@code TERM}, {@code SIGTERM},
     * case-insensitive) or for a decimal number.
     */
    public static OptionalInt number(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.startsWith("SIG")) {
            upper = upper.substring(3);
        }
        if (!upper.isEmpty() && upper.chars().allMatch(Character::isDigit)) {
            try {
                int number = Integer.parseInt(upper);
                return number <= 64 ? OptionalInt.of(number) : OptionalInt.empty();
            } catch (NumberFormatException tooLong) {
                return OptionalInt.empty();
            }
        }
        for (int i = 1; i < NAMES.length; i++) {
            if (NAMES[i].equals(upper)) {
                return OptionalInt.of(i);
            }
        }
        Integer alias = ALIASES.get(upper);
        return alias == null ? OptionalInt.empty() : OptionalInt.of(alias);
    }
}
