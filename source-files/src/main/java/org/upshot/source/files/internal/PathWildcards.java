package org.upshot.source.files.internal;

/**
 * Reading the wildcards of a path as written in a job: which parts are patterns and
 * what a quoted part stands for. Matching itself is the kernel's {@link org.upshot.event.Glob}.
 */
public final class PathWildcards {

    private PathWildcards() {}

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
}
