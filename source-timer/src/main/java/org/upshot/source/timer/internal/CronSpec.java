package org.upshot.source.timer.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput.Word;

/**
 * A classic five-field crontab line ({@code MIN HOUR DOM MON DOW}, as crontab(5) and
 * Vixie cron read it), parsed into the set of values each field allows, and translated
 * into Quartz cron expressions. Quartz's own dialect (a seconds field, Sunday as 1, the
 * {@code ?} rule) never reaches the job file or the events: only this class knows it.
 *
 * <p>Fields hold lists of {@code *}, {@code N}, {@code N-M}, {@code *}{@code /S} and
 * {@code N-M/S}; months and days of week also take three-letter English names, and day
 * of week 0 and 7 are both Sunday. {@code @hourly}, {@code @daily} ({@code @midnight}),
 * {@code @weekly}, {@code @monthly} and {@code @yearly} ({@code @annually}) stand for
 * their lines. Vixie cron's rule for the two day fields: when either field starts with
 * {@code *}, a day must match both; otherwise it must match either. Immutable.
 */
public final class CronSpec {

    /** The five fields, in order. */
    enum Field {
        MINUTE("minute", 0, 59, List.of()),
        HOUR("hour", 0, 23, List.of()),
        DAY_OF_MONTH("day of month", 1, 31, List.of()),
        MONTH("month", 1, 12, List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                "dec")),
        DAY_OF_WEEK("day of week", 0, 7, List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat"));

        final String label;
        final int low;
        final int high;
        /** Names for the values from {@link #low} on. */
        final List<String> names;

        Field(String label, int low, int high, List<String> names) {
            this.label = label;
            this.low = low;
            this.high = high;
            this.names = names;
        }
    }

    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final String EXPECTED = "expected five fields (minute hour day-of-month month day-of-week)"
            + " or @hourly, @daily, @weekly, @monthly, @yearly";
    private static final int FIELDS = Field.values().length;

    private final String text;
    private final BitSet[] allowed;
    /** Vixie's DOM_STAR and DOW_STAR: the field's text starts with {@code *}. */
    private final boolean dayOfMonthStar;
    private final boolean dayOfWeekStar;

    private CronSpec(String text, BitSet[] allowed, boolean dayOfMonthStar, boolean dayOfWeekStar) {
        this.text = text;
        this.allowed = allowed;
        this.dayOfMonthStar = dayOfMonthStar;
        this.dayOfWeekStar = dayOfWeekStar;
    }

    /** A parsed line, and how many of the words it took. */
    public record Parsed(CronSpec spec, int words) {}

    /**
     * Reads a crontab line from the start of {@code words}: a macro, one quoted word
     * holding the five fields, or five words.
     *
     * @param line line of the keyword, for an error when no word is given
     * @param column column of the keyword
     * @throws StanzaException at the offending field, naming what was expected
     */
    public static Parsed parse(List<Word> words, int line, int column) throws StanzaException {
        if (words.isEmpty()) {
            throw new StanzaException("cron needs a schedule: " + EXPECTED, line, column);
        }
        Word first = words.get(0);
        if (first.text().startsWith("@")) {
            String macro = MACROS.get(first.text().toLowerCase(Locale.ROOT));
            if (macro == null) {
                throw StanzaException.at(first, "cron: unknown '" + first.text() + "': " + EXPECTED
                        + (first.text().equals("@reboot") ? " (for @reboot write 'start on startup')" : ""));
            }
            CronSpec expanded = fields(split(new Word(macro, first.line(), first.column()), 0));
            return new Parsed(new CronSpec(first.text().toLowerCase(Locale.ROOT), expanded.allowed, expanded.dayOfMonthStar,
                    expanded.dayOfWeekStar), 1);
        }
        if (first.text().strip().contains(" ") || first.text().contains("\t")) {
            // one quoted word: its fields start one column after the opening quote
            List<Word> fields = split(first, 1);
            if (fields.size() != FIELDS) {
                throw StanzaException.at(first, "cron: '" + first.text() + "' has " + fields.size() + " fields: "
                        + EXPECTED);
            }
            return new Parsed(fields(fields), 1);
        }
        if (words.size() < FIELDS) {
            throw StanzaException.at(words.get(words.size() - 1), "cron: " + words.size() + " fields: " + EXPECTED);
        }
        return new Parsed(fields(words.subList(0, FIELDS)), FIELDS);
    }

    /** The whitespace-separated parts of {@code word}, positioned {@code shift} columns further. */
    private static List<Word> split(Word word, int shift) {
        List<Word> parts = new ArrayList<>();
        String text = word.text();
        int i = 0;
        while (i < text.length()) {
            if (Character.isWhitespace(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            parts.add(new Word(text.substring(start, i), word.line(), word.column() + shift + start));
        }
        return parts;
    }

    private static CronSpec fields(List<Word> words) throws StanzaException {
        BitSet[] allowed = new BitSet[FIELDS];
        List<String> texts = new ArrayList<>();
        for (Field field : Field.values()) {
            Word word = words.get(field.ordinal());
            allowed[field.ordinal()] = field(field, word);
            texts.add(word.text());
        }
        // day of week 7 is Sunday, as 0 is
        BitSet days = allowed[Field.DAY_OF_WEEK.ordinal()];
        if (days.get(7)) {
            days.clear(7);
            days.set(0);
        }
        return new CronSpec(String.join(" ", texts), allowed,
                words.get(Field.DAY_OF_MONTH.ordinal()).text().startsWith("*"),
                words.get(Field.DAY_OF_WEEK.ordinal()).text().startsWith("*"));
    }

    private static BitSet field(Field field, Word word) throws StanzaException {
        BitSet values = new BitSet();
        String text = word.text();
        int start = 0;
        while (true) {
            int comma = text.indexOf(',', start);
            int end = comma < 0 ? text.length() : comma;
            element(field, new Word(text.substring(start, end), word.line(), word.column() + start), values);
            if (comma < 0) {
                return values;
            }
            start = comma + 1;
        }
    }

    /** One list element: {@code *}, {@code N}, {@code N-M}, each with an optional {@code /STEP}. */
    private static void element(Field field, Word element, BitSet values) throws StanzaException {
        String text = element.text();
        int slash = text.indexOf('/');
        String range = slash < 0 ? text : text.substring(0, slash);
        int from;
        int to;
        if (range.equals("*")) {
            from = field.low;
            to = field.high;
        } else {
            int dash = range.indexOf('-', 1);
            from = value(field, element, dash < 0 ? range : range.substring(0, dash), 0);
            to = dash < 0 ? from : value(field, element, range.substring(dash + 1), dash + 1);
            if (from > to) {
                throw StanzaException.at(element, "cron: " + field.label + ": range " + range
                        + " runs backwards: expected FROM-TO with FROM not after TO");
            }
            if (slash >= 0 && dash < 0) {
                throw StanzaException.at(element, "cron: " + field.label + ": a step needs a range: expected */"
                        + text.substring(slash + 1) + " or FROM-TO/" + text.substring(slash + 1));
            }
        }
        int step = 1;
        if (slash >= 0) {
            String stepText = text.substring(slash + 1);
            Word stepWord = new Word(stepText, element.line(), element.column() + slash + 1);
            if (!stepText.matches("\\d{1,2}") || Integer.parseInt(stepText) == 0) {
                throw StanzaException.at(stepWord, "cron: " + field.label + ": step '" + stepText
                        + "': expected a number from 1 to " + (field.high - field.low + 1));
            }
            step = Integer.parseInt(stepText);
        }
        for (int value = from; value <= to; value += step) {
            values.set(value);
        }
    }

    private static int value(Field field, Word element, String text, int offset) throws StanzaException {
        Word word = new Word(text, element.line(), element.column() + offset);
        int named = field.names.indexOf(text.toLowerCase(Locale.ROOT));
        if (named >= 0) {
            return field.low + named;
        }
        if (!text.matches("\\d{1,2}")) {
            throw StanzaException.at(word, "cron: " + field.label + ": '" + text + "': expected a number from "
                    + field.low + " to " + field.high + (field.names.isEmpty() ? "" : " or a name (" + field.names.get(0)
                    + ", " + field.names.get(1) + "...)") + ", *, a range or a list");
        }
        int value = Integer.parseInt(text);
        if (value < field.low || value > field.high) {
            throw StanzaException.at(word, "cron: " + field.label + ": " + value + " is out of range " + field.low
                    + "-" + field.high);
        }
        return value;
    }

    /** The line as written, fields single-spaced ({@code 0 3 * * mon-fri}, {@code @daily}). */
    public String text() {
        return text;
    }

    /**
     * The Quartz cron expressions whose fire times, together and filtered by
     * {@link #requiredDaysOfMonth()}, are exactly this line's: one when the two day fields
     * must both match (or one of them allows every day), two (day of month; day of week)
     * when either may. Both of two expressions may name the same instant.
     */
    public List<String> quartzExpressions() {
        boolean everyDayOfMonth = full(Field.DAY_OF_MONTH);
        boolean everyDayOfWeek = full(Field.DAY_OF_WEEK);
        String byDayOfMonth = quartz(render(Field.DAY_OF_MONTH, 0), "?");
        String byDayOfWeek = quartz("?", render(Field.DAY_OF_WEEK, 1));
        if (dayOfMonthStar || dayOfWeekStar) {
            return List.of(everyDayOfWeek ? byDayOfMonth : byDayOfWeek);
        }
        return everyDayOfMonth && everyDayOfWeek ? List.of(byDayOfMonth) : List.of(byDayOfMonth, byDayOfWeek);
    }

    /**
     * The days of month a fire must also fall on: present when both day fields restrict
     * and must both match ({@code 0 0 *}{@code /2 * 1}, odd days that are Mondays), which
     * no single Quartz expression says.
     */
    public Optional<BitSet> requiredDaysOfMonth() {
        boolean both = (dayOfMonthStar || dayOfWeekStar) && !full(Field.DAY_OF_MONTH) && !full(Field.DAY_OF_WEEK);
        return both ? Optional.of((BitSet) allowed[Field.DAY_OF_MONTH.ordinal()].clone()) : Optional.empty();
    }

    private String quartz(String dayOfMonth, String dayOfWeek) {
        return "0 " + render(Field.MINUTE, 0) + " " + render(Field.HOUR, 0) + " " + dayOfMonth + " "
                + render(Field.MONTH, 0) + " " + dayOfWeek;
    }

    private boolean full(Field field) {
        int high = field == Field.DAY_OF_WEEK ? 6 : field.high;
        return allowed[field.ordinal()].cardinality() == high - field.low + 1;
    }

    /** {@code *} or the values as a list, each moved by {@code shift} (Quartz counts Sunday as 1). */
    private String render(Field field, int shift) {
        if (full(field)) {
            return "*";
        }
        List<String> values = new ArrayList<>();
        BitSet bits = allowed[field.ordinal()];
        for (int value = bits.nextSetBit(0); value >= 0; value = bits.nextSetBit(value + 1)) {
            values.add(Integer.toString(value + shift));
        }
        return String.join(",", values);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CronSpec that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
