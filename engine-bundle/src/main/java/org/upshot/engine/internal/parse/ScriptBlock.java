package org.upshot.engine.internal.parse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The lines of a {@code script ... end script} block: finding the end (here-documents
 * aware) and removing the indentation all lines share, everything else kept byte-exact.
 */
final class ScriptBlock {

    private static final Pattern END = Pattern.compile("[ \\t]*end[ \\t]+script[ \\t\\r]*(#.*)?");

    private ScriptBlock() {}

    /**
     * Reads lines from {@code physicalLines} (null at the end of the file) up to the
     * {@code end script} line (consumed, not returned); null if the file ends first. With {@code heredocAware}, lines inside a here-document are
     * never taken for the end.
     */
    static List<String> collect(Supplier<String> physicalLines, boolean heredocAware) {
        List<String> lines = new ArrayList<>();
        Deque<Heredoc> pending = new ArrayDeque<>();
        for (String line = physicalLines.get(); line != null; line = physicalLines.get()) {
            if (!pending.isEmpty()) {
                if (pending.peek().endsAt(line)) {
                    pending.pop();
                }
                lines.add(line);
                continue;
            }
            if (line.contains("end") && END.matcher(line).matches()) {
                return lines;
            }
            if (heredocAware) {
                findHeredocs(line, pending);
            }
            lines.add(line);
        }
        return null;
    }

    /** Joins the lines, each with its newline, after removing their common leading blanks. */
    static String stripCommonIndent(List<String> lines) {
        String common = null;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String indent = leadingBlanks(line);
            common = common == null ? indent : commonPrefix(common, indent);
        }
        String prefix = common == null ? "" : common;
        StringBuilder body = new StringBuilder();
        for (String line : lines) {
            if (line.startsWith(prefix)) {
                body.append(line, prefix.length(), line.length());
            } else if (!line.isBlank()) {
                body.append(line);
            }
            body.append('\n');
        }
        return body.toString();
    }

    private static String leadingBlanks(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return line.substring(0, i);
    }

    private static String commonPrefix(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return a.substring(0, i);
    }

    /** A here-document waiting for its delimiter line. */
    private record Heredoc(String delimiter, boolean stripTabs) {
        boolean endsAt(String line) {
            String candidate = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (stripTabs) {
                int i = 0;
                while (i < candidate.length() && candidate.charAt(i) == '\t') {
                    i++;
                }
                candidate = candidate.substring(i);
            }
            return candidate.equals(delimiter);
        }
    }

    /** Adds the here-documents a shell line opens ({@code <<WORD}, {@code <<-'WORD'}...). */
    private static void findHeredocs(String line, Deque<Heredoc> pending) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"') {
                    i++;
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '\\') {
                i++;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return;
            } else if (c == '<' && line.startsWith("<<", i) && !line.startsWith("<<<", i)) {
                i = readDelimiter(line, i + 2, pending);
            }
        }
    }

    private static int readDelimiter(String line, int from, Deque<Heredoc> pending) {
        int i = from;
        boolean stripTabs = i < line.length() && line.charAt(i) == '-';
        if (stripTabs) {
            i++;
        }
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        if (i >= line.length()) {
            return i;
        }
        char first = line.charAt(i);
        if (!(Character.isLetter(first) || first == '_' || first == '\'' || first == '"' || first == '\\')) {
            return i - 1;
        }
        StringBuilder delimiter = new StringBuilder();
        char quote = 0;
        for (; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    delimiter.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '\\') {
                continue;
            } else if (Character.isWhitespace(c) || ";&|<>()".indexOf(c) >= 0) {
                break;
            } else {
                delimiter.append(c);
            }
        }
        if (delimiter.length() > 0) {
            pending.add(new Heredoc(delimiter.toString(), stripTabs));
        }
        return i - 1;
    }
}
