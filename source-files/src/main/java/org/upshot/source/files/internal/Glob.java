package org.upshot.source.files.internal;

/**
 * Shell wildcard matching for one path component, as {@code fnmatch(3)} does without
 * flags: {@code *}, {@code ?}, {@code [abc]}, {@code [a-z]}, {@code [!x]} or
 * {@code [^x]}, and {@code \} quoting the next character. A leading dot is matched
 * like any other character.
 */
public final class Glob {

    private Glob() {}

    /** Whether {@code text} holds an unquoted {@code *}, {@code ?} or {@code [}. */
    public static boolean hasWildcard(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '*' || c == '?' || c == '[') {
                return true;
            }
        }
        return false;
    }

    /** {@code text} with backslash quoting removed. */
    public static String unquote(String text) {
        StringBuilder plain = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                c = text.charAt(++i);
            }
            plain.append(c);
        }
        return plain.toString();
    }

    /** Whether the whole of {@code text} matches {@code pattern}. */
    public static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        // Where to resume after the last '*': classic single-star backtracking, linear
        // in practice and never exponential.
        int starPattern = -1;
        int starText = -1;
        while (t < text.length()) {
            if (p < pattern.length()) {
                char c = pattern.charAt(p);
                if (c == '*') {
                    starPattern = ++p;
                    starText = t;
                    continue;
                }
                int next = matchOne(pattern, p, text.charAt(t));
                if (next >= 0) {
                    p = next;
                    t++;
                    continue;
                }
            }
            if (starPattern < 0) {
                return false;
            }
            p = starPattern;
            t = ++starText;
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** Matches one text character at pattern index {@code p}; the next index, or -1. */
    private static int matchOne(String pattern, int p, char actual) {
        char c = pattern.charAt(p);
        if (c == '?') {
            return p + 1;
        }
        if (c == '[') {
            int end = bracketEnd(pattern, p);
            if (end > 0) {
                return bracketMatches(pattern, p + 1, end, actual) ? end + 1 : -1;
            }
            return actual == '[' ? p + 1 : -1;
        }
        if (c == '\\' && p + 1 < pattern.length()) {
            return pattern.charAt(p + 1) == actual ? p + 2 : -1;
        }
        return c == actual ? p + 1 : -1;
    }

    /** Index of the {@code ]} closing the bracket at {@code open}, or -1 if unclosed. */
    private static int bracketEnd(String pattern, int open) {
        int i = open + 1;
        if (i < pattern.length() && (pattern.charAt(i) == '!' || pattern.charAt(i) == '^')) {
            i++;
        }
        // A ']' right after the opening (or its negation) is a member, not the end.
        if (i < pattern.length() && pattern.charAt(i) == ']') {
            i++;
        }
        for (; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == ']') {
                return i;
            }
        }
        return -1;
    }

    private static boolean bracketMatches(String pattern, int from, int end, char actual) {
        boolean negated = pattern.charAt(from) == '!' || pattern.charAt(from) == '^';
        int i = negated ? from + 1 : from;
        boolean found = false;
        boolean first = true;
        while (i < end) {
            char low = pattern.charAt(i);
            if (low == '\\' && i + 1 < end) {
                low = pattern.charAt(++i);
            } else if (low == ']' && !first) {
                break;
            }
            first = false;
            char high = low;
            if (i + 2 < end && pattern.charAt(i + 1) == '-') {
                high = pattern.charAt(i + 2);
                if (high == '\\' && i + 3 < end) {
                    high = pattern.charAt(i + 3);
                    i++;
                }
                i += 2;
            }
            if (low <= actual && actual <= high) {
                found = true;
            }
            i++;
        }
        return found != negated;
    }
}
