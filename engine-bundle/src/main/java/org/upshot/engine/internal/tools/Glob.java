package org.upshot.engine.internal.tools;

/** fnmatch(3) with no flags, as Upstart matches event names and values: {@code * ? [abc] [!a-z]}. */
final class Glob {

    private Glob() {}

    /** True when {@code text} matches {@code pattern}; a malformed bracket matches itself literally. */
    static boolean matches(String pattern, String text) {
        return match(pattern, 0, text, 0);
    }

    private static boolean match(String p, int pi, String t, int ti) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                for (int k = ti; k <= t.length(); k++) {
                    if (match(p, pi + 1, t, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (ti >= t.length()) {
                return false;
            }
            if (c == '?') {
                pi++;
                ti++;
            } else if (c == '[' && p.indexOf(']', pi + 2) > 0) {
                int end = p.indexOf(']', pi + 2);
                boolean negate = p.charAt(pi + 1) == '!' || p.charAt(pi + 1) == '^';
                String set = p.substring(pi + (negate ? 2 : 1), end);
                if (inSet(set, t.charAt(ti)) == negate) {
                    return false;
                }
                pi = end + 1;
                ti++;
            } else {
                if (c != t.charAt(ti)) {
                    return false;
                }
                pi++;
                ti++;
            }
        }
        return ti == t.length();
    }

    private static boolean inSet(String set, char c) {
        for (int i = 0; i < set.length(); i++) {
            if (i + 2 < set.length() && set.charAt(i + 1) == '-') {
                if (c >= set.charAt(i) && c <= set.charAt(i + 2)) {
                    return true;
                }
                i += 2;
            } else if (set.charAt(i) == c) {
                return true;
            }
        }
        return false;
    }
}
