package org.upshot.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A shell glob with {@code fnmatch(3)}'s meaning under flags 0, compiled once.
 *
 * <p>{@code *} matches any run of characters ({@code /} and leading dots included),
 * {@code ?} any one character, {@code [abc]}, {@code [a-z]}, {@code [!abc]} (or
 * {@code [^abc]}) and {@code [[:alpha:]]} one character of a set; a backslash makes the
 * next character literal, inside brackets too. As in glibc, a {@code [} with no closing
 * {@code ]} is a literal {@code [}, and a pattern ending in a lone backslash or naming
 * an unknown character class matches nothing.
 *
 * <p>Every element matches exactly one character except {@code *}, so matching keeps
 * only the position of the last star to retry from: at most
 * O(pattern × text) steps, never exponential backtracking. Literal patterns and
 * {@code prefix*} patterns take a direct comparison. Characters are UTF-16 units.
 * Instances are immutable and thread-safe.
 */
public final class Glob {

    private static final byte LITERAL = 0;
    private static final byte ANY = 1;
    private static final byte STAR = 2;
    private static final byte SET = 3;

    /** How {@link #matches} decides, chosen at compile time. */
    private enum Shape { EXACT, PREFIX, EVERYTHING, NOTHING, GENERAL }

    private final String pattern;
    private final Shape shape;
    /** The unescaped literal text for {@code EXACT} and {@code PREFIX}. */
    private final String fixed;
    private final byte[] kinds;
    private final char[] literals;
    private final CharSet[] sets;

    private Glob(String pattern, Shape shape, String fixed, byte[] kinds, char[] literals, CharSet[] sets) {
        this.pattern = pattern;
        this.shape = shape;
        this.fixed = fixed;
        this.kinds = kinds;
        this.literals = literals;
        this.sets = sets;
    }

    /** Compiles {@code pattern}; never fails (a malformed pattern simply matches nothing). */
    public static Glob compile(String pattern) {
        return new Compiler(pattern).compile();
    }

    /**
     * Whether {@code pattern} has anything {@code fnmatch} treats specially
     * ({@code * ? [} or a backslash); if not, it matches only itself.
     */
    public static boolean hasWildcards(String pattern) {
        return hasWildcards(pattern, 0);
    }

    /** {@link #hasWildcards(String)} for {@code text} from index {@code from} to its end. */
    public static boolean hasWildcards(String text, int from) {
        String pattern = text;
        for (int i = from; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    /**
     * A pattern that matches exactly {@code text}: each character {@code fnmatch} treats
     * specially ({@code * ? [ ]} and the backslash) escaped with a backslash. What a source
     * puts in a condition that must match one value it emits, such as a cron line.
     */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 4);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ("*?[]\\".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** The pattern as written. */
    public String pattern() {
        return pattern;
    }

    /** True when the pattern has no wildcard, so it matches only its own unescaped text. */
    public boolean isLiteral() {
        return shape == Shape.EXACT;
    }

    /** The text a {@linkplain #isLiteral() literal} pattern matches; null otherwise. */
    public String literal() {
        return shape == Shape.EXACT ? fixed : null;
    }

    /** Whether the whole of {@code text} matches. */
    public boolean matches(String text) {
        return matches(text, 0);
    }

    /** Whether {@code text} from index {@code from} to its end matches (no substring copy). */
    public boolean matches(String text, int from) {
        int length = text.length() - from;
        switch (shape) {
            case EXACT:
                return length == fixed.length() && text.startsWith(fixed, from);
            case PREFIX:
                return text.startsWith(fixed, from);
            case EVERYTHING:
                return true;
            case NOTHING:
                return false;
            default:
                return matchesGeneral(text, from);
        }
    }

    private boolean matchesGeneral(String text, int from) {
        int p = 0;
        int t = from;
        int starP = -1;
        int starT = -1;
        int end = text.length();
        while (t < end) {
            if (p < kinds.length && kinds[p] == STAR) {
                starP = p++;
                starT = t;
            } else if (p < kinds.length && matchesOne(p, text.charAt(t))) {
                p++;
                t++;
            } else if (starP >= 0) {
                // Let the last star swallow one more character and retry after it.
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < kinds.length && kinds[p] == STAR) {
            p++;
        }
        return p == kinds.length;
    }

    private boolean matchesOne(int p, char c) {
        switch (kinds[p]) {
            case LITERAL:
                return literals[p] == c;
            case ANY:
                return true;
            default:
                return sets[p].contains(c);
        }
    }

    @Override
    public String toString() {
        return pattern;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Glob && ((Glob) other).pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    /** One bracket expression: ASCII in a bitmap, the rest as ranges and classes. */
    private static final class CharSet {
        private final boolean negated;
        private final long low;
        private final long high;
        private final char[] ranges;
        private final CharClass[] classes;

        CharSet(boolean negated, long low, long high, char[] ranges, CharClass[] classes) {
            this.negated = negated;
            this.low = low;
            this.high = high;
            this.ranges = ranges;
            this.classes = classes;
        }

        boolean contains(char c) {
            boolean in;
            if (c < 64) {
                in = (low & (1L << c)) != 0;
            } else if (c < 128) {
                in = (high & (1L << (c - 64))) != 0;
            } else {
                in = containsWide(c);
            }
            return in != negated;
        }

        private boolean containsWide(char c) {
            for (int i = 0; i < ranges.length; i += 2) {
                if (c >= ranges[i] && c <= ranges[i + 1]) {
                    return true;
                }
            }
            for (CharClass charClass : classes) {
                if (charClass.contains(c)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The POSIX character classes; outside ASCII they follow Java's Unicode predicates. */
    private enum CharClass {
        ALNUM, ALPHA, BLANK, CNTRL, DIGIT, GRAPH, LOWER, PRINT, PUNCT, SPACE, UPPER, XDIGIT;

        static CharClass named(String name) {
            for (CharClass value : values()) {
                if (value.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return value;
                }
            }
            return null;
        }

        boolean contains(char c) {
            switch (this) {
                case ALNUM:
                    return Character.isLetterOrDigit(c);
                case ALPHA:
                    return Character.isLetter(c);
                case BLANK:
                    return c == ' ' || c == '\t' || Character.getType(c) == Character.SPACE_SEPARATOR;
                case CNTRL:
                    return Character.isISOControl(c);
                case DIGIT:
                    return c >= '0' && c <= '9';
                case GRAPH:
                    return !Character.isWhitespace(c) && !Character.isISOControl(c) && !Character.isSpaceChar(c);
                case LOWER:
                    return Character.isLowerCase(c);
                case PRINT:
                    return !Character.isISOControl(c);
                case PUNCT:
                    return c < 128 ? isAsciiPunct(c) : !Character.isLetterOrDigit(c) && !Character.isWhitespace(c)
                            && !Character.isISOControl(c) && !Character.isSpaceChar(c);
                case SPACE:
                    return Character.isWhitespace(c) || Character.isSpaceChar(c);
                case UPPER:
                    return Character.isUpperCase(c);
                default:
                    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            }
        }

        private static boolean isAsciiPunct(char c) {
            return c > ' ' && c < 127 && !Character.isLetterOrDigit(c);
        }
    }

    /** Turns the pattern text into parallel arrays of elements. */
    private static final class Compiler {
        private final String pattern;
        private final List<Byte> kinds = new ArrayList<>();
        private final StringBuilder literals = new StringBuilder();
        private final List<CharSet> sets = new ArrayList<>();
        private boolean malformed;

        Compiler(String pattern) {
            this.pattern = pattern;
        }

        Glob compile() {
            int i = 0;
            while (i < pattern.length() && !malformed) {
                char c = pattern.charAt(i++);
                switch (c) {
                    case '*':
                        // Consecutive stars mean the same as one.
                        if (kinds.isEmpty() || kinds.get(kinds.size() - 1) != STAR) {
                            add(STAR, '\0', null);
                        }
                        break;
                    case '?':
                        add(ANY, '\0', null);
                        break;
                    case '[':
                        i = bracket(i);
                        break;
                    case '\\':
                        if (i == pattern.length()) {
                            malformed = true;
                        } else {
                            add(LITERAL, pattern.charAt(i++), null);
                        }
                        break;
                    default:
                        add(LITERAL, c, null);
                }
            }
            return build();
        }

        private void add(byte kind, char literal, CharSet set) {
            kinds.add(kind);
            literals.append(literal);
            sets.add(set);
        }

        /** Parses a bracket expression after its {@code [}; returns the index after it. */
        private int bracket(int start) {
            int i = start;
            boolean negated = i < pattern.length() && (pattern.charAt(i) == '!' || pattern.charAt(i) == '^');
            if (negated) {
                i++;
            }
            long[] ascii = new long[2];
            StringBuilder ranges = new StringBuilder();
            List<CharClass> classes = new ArrayList<>();
            boolean first = true;
            while (true) {
                if (i >= pattern.length()) {
                    // No closing bracket: glibc takes the '[' literally.
                    add(LITERAL, '[', null);
                    return start;
                }
                char c = pattern.charAt(i++);
                if (c == ']' && !first) {
                    break;
                }
                first = false;
                if (c == '[' && i < pattern.length() && pattern.charAt(i) == ':') {
                    int close = pattern.indexOf(":]", i + 1);
                    if (close < 0) {
                        add(LITERAL, '[', null);
                        return start;
                    }
                    CharClass charClass = CharClass.named(pattern.substring(i + 1, close));
                    if (charClass == null) {
                        malformed = true;
                        return pattern.length();
                    }
                    classes.add(charClass);
                    for (char member = 0; member < 128; member++) {
                        if (charClass.contains(member)) {
                            ascii[member >> 6] |= 1L << (member & 63);
                        }
                    }
                    i = close + 2;
                    continue;
                }
                if (c == '\\') {
                    if (i >= pattern.length()) {
                        malformed = true;
                        return pattern.length();
                    }
                    c = pattern.charAt(i++);
                }
                char last = c;
                if (i + 1 < pattern.length() && pattern.charAt(i) == '-' && pattern.charAt(i + 1) != ']') {
                    last = pattern.charAt(i + 1);
                    i += 2;
                    if (last == '\\') {
                        if (i >= pattern.length()) {
                            malformed = true;
                            return pattern.length();
                        }
                        last = pattern.charAt(i++);
                    }
                }
                addRange(ascii, ranges, c, last);
            }
            CharSet set = new CharSet(negated, ascii[0], ascii[1], ranges.toString().toCharArray(),
                    classes.toArray(new CharClass[0]));
            add(SET, '\0', set);
            return i;
        }

        private static void addRange(long[] ascii, StringBuilder ranges, char from, char to) {
            // A reversed range (z-a) is empty, as in the C locale.
            for (int c = from; c <= to && c < 128; c++) {
                ascii[c >> 6] |= 1L << (c & 63);
            }
            if (to >= 128) {
                ranges.append((char) Math.max(from, 128)).append(to);
            }
        }

        private Glob build() {
            int n = kinds.size();
            byte[] kindArray = new byte[n];
            for (int i = 0; i < n; i++) {
                kindArray[i] = kinds.get(i);
            }
            char[] literalArray = literals.toString().toCharArray();
            CharSet[] setArray = sets.toArray(new CharSet[0]);
            if (malformed) {
                return new Glob(pattern, Shape.NOTHING, null, kindArray, literalArray, setArray);
            }
            int literalRun = 0;
            while (literalRun < n && kindArray[literalRun] == LITERAL) {
                literalRun++;
            }
            String fixed = new String(literalArray, 0, literalRun);
            Shape shape;
            if (literalRun == n) {
                shape = Shape.EXACT;
            } else if (literalRun == n - 1 && kindArray[n - 1] == STAR) {
                shape = literalRun == 0 ? Shape.EVERYTHING : Shape.PREFIX;
            } else {
                shape = Shape.GENERAL;
            }
            return new Glob(pattern, shape, fixed, kindArray, literalArray, setArray);
        }
    }
}
