package org.upshot.engine.internal.parse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.upshot.engine.internal.parse.Diagnostic.Kind;

/**
 * Reads a job file word by word, keeping line and column for diagnostics.
 *
 * <p>Words are separated by spaces and tabs; {@code \} before a newline continues the
 * line; {@code #} at the start of a word comments out the rest of the line; single or
 * double quotes group a word (and may span lines) and are removed, as is a backslash
 * escaping the next character outside quotes. Inside double quotes only {@code \"},
 * {@code \\} and a backslash-newline are escapes. Raw modes serve {@code exec}
 * (quotes kept) and {@code script} blocks (byte-exact).
 */
final class Lexer {

    /** A word and where it starts; {@code quoted} when any part of it was in quotes. */
    record Word(String text, int line, int column, boolean quoted) {
        boolean is(String keyword) {
            return !quoted && text.equals(keyword);
        }
    }

    /** A saved position, to look ahead and come back. */
    record Mark(int pos, int line, int lineStart) {}

    private final Path file;
    private final String text;
    private int pos;
    private int line = 1;
    private int lineStart;

    Lexer(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    Path file() {
        return file;
    }

    int line() {
        return line;
    }

    int column() {
        return pos - lineStart + 1;
    }

    Mark mark() {
        return new Mark(pos, line, lineStart);
    }

    void reset(Mark mark) {
        pos = mark.pos();
        line = mark.line();
        lineStart = mark.lineStart();
    }

    ParseException error(Kind kind, Object... words) {
        return new ParseException(Diagnostic.of(file, line, column(), kind, words));
    }

    static ParseException error(Path file, Word word, Kind kind, Object... words) {
        return new ParseException(Diagnostic.of(file, word.line(), word.column(), kind, words));
    }

    /** Skips blank lines, comments and whitespace up to the next stanza; false at end of file. */
    boolean nextStanza() {
        while (true) {
            skipInlineSpace();
            if (pos >= text.length()) {
                return false;
            }
            char c = text.charAt(pos);
            if (c == '\n') {
                newline();
            } else if (c == '#') {
                skipComment();
            } else {
                return true;
            }
        }
    }

    /**
     * The next word on this logical line, or {@code null} at its end (newline, comment or
     * end of file). With {@code multiline}, newlines and comments are skipped instead
     * (used inside parentheses of event expressions), so only end of file gives null.
     * With {@code splitParens}, unquoted {@code (} and {@code )} are words of their own.
     */
    Word word(boolean splitParens, boolean multiline) throws ParseException {
        while (true) {
            skipInlineSpace();
            if (pos >= text.length()) {
                return null;
            }
            char c = text.charAt(pos);
            if (c == '#') {
                skipComment();
                continue;
            }
            if (c == '\n') {
                if (!multiline) {
                    return null;
                }
                newline();
                continue;
            }
            break;
        }
        int startLine = line;
        int startColumn = column();
        char first = text.charAt(pos);
        if (splitParens && (first == '(' || first == ')')) {
            pos++;
            return new Word(String.valueOf(first), startLine, startColumn, false);
        }
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n'
                    || (splitParens && (c == '(' || c == ')'))) {
                break;
            }
            if (c == '"' || c == '\'') {
                quoted = true;
                readQuoted(out);
            } else if (c == '\\' && pos + 1 < text.length()) {
                if (text.charAt(pos + 1) == '\n') {
                    break; // a continuation separates words
                }
                out.append(text.charAt(pos + 1));
                pos += 2;
            } else {
                out.append(c);
                pos++;
            }
        }
        return new Word(out.toString(), startLine, startColumn, quoted);
    }

    /** The next word of an ordinary stanza (no parenthesis splitting, one line). */
    Word word() throws ParseException {
        return word(false, false);
    }

    /** The next word, or an {@code EXPECTED_TOKEN} error saying what {@code stanza} needs. */
    Word require(String stanza, String what) throws ParseException {
        Word word = word();
        if (word == null) {
            throw error(Kind.EXPECTED_TOKEN, stanza, what);
        }
        return word;
    }

    /** Checks nothing but a comment follows on this logical line. */
    void endOfLine(String stanza) throws ParseException {
        Word extra = word();
        if (extra != null) {
            throw error(file, extra, Kind.UNEXPECTED_TOKEN, extra.text(), stanza);
        }
    }

    /** Every remaining word of this logical line. */
    List<Word> restOfLineWords() throws ParseException {
        List<Word> words = new ArrayList<>();
        for (Word w = word(); w != null; w = word()) {
            words.add(w);
        }
        return words;
    }

    /**
     * The rest of the logical line as written, quotes kept, for {@code exec}: a
     * backslash-newline outside quotes is dropped, a comment (a {@code #} starting a
     * word) ends it, trailing blanks are trimmed. Empty when nothing follows.
     */
    String rawRestOfLine() throws ParseException {
        skipInlineSpace();
        StringBuilder out = new StringBuilder();
        int kept = 0; // trailing blanks are trimmed, but never back into an escape or a quote
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                break;
            }
            if (c == '#' && (out.length() == 0 || isBlank(out.charAt(out.length() - 1)))) {
                skipComment();
                break;
            }
            if (c == '"' || c == '\'') {
                int from = pos;
                readQuoted(new StringBuilder());
                out.append(text, from, pos);
                kept = out.length();
            } else if (c == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
                pos += 2;
                line++;
                lineStart = pos;
            } else if (c == '\\' && pos + 1 < text.length()) {
                out.append(c).append(text.charAt(pos + 1));
                pos += 2;
                kept = out.length();
            } else if (c == '\\') {
                pos++; // a continuation at the very end of the file continues into nothing
            } else {
                out.append(c);
                pos++;
            }
        }
        int end = out.length();
        while (end > kept && isBlank(out.charAt(end - 1))) {
            end--;
        }
        return out.substring(0, end);
    }

    /** Consumes the newline ending the current line, if any. */
    void consumeNewline() {
        if (pos < text.length() && text.charAt(pos) == '\n') {
            newline();
        }
    }

    /**
     * Reads the lines of a {@code script} block (the lexer stands at the start of the
     * line after {@code script}) up to and including the {@code end script} line, and
     * returns them with their common indentation removed. A line {@code end script}
     * inside a here-document is part of the script; if here-document tracking finds no
     * end (a misread {@code <<}), the first {@code end script} line ends the block.
     */
    String block(Word opener) throws ParseException {
        Mark start = mark();
        List<String> lines = ScriptBlock.collect(this::physicalLine, true);
        if (lines == null) {
            reset(start);
            lines = ScriptBlock.collect(this::physicalLine, false);
        }
        if (lines == null) {
            throw error(file, opener, Kind.UNTERMINATED_BLOCK, opener.text());
        }
        return ScriptBlock.stripCommonIndent(lines);
    }

    /** The next physical line without its newline (consumed), or null at end of file. */
    String physicalLine() {
        if (pos >= text.length()) {
            return null;
        }
        int end = text.indexOf('\n', pos);
        String result;
        if (end < 0) {
            result = text.substring(pos);
            pos = text.length();
        } else {
            result = text.substring(pos, end);
            pos = end;
            newline();
        }
        return result;
    }

    private void readQuoted(StringBuilder out) throws ParseException {
        char quote = text.charAt(pos);
        int openLine = line;
        int openColumn = column();
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == quote) {
                pos++;
                return;
            }
            if (c == '\\' && quote == '"' && pos + 1 < text.length()) {
                char next = text.charAt(pos + 1);
                if (next == '"' || next == '\\') {
                    out.append(next);
                    pos += 2;
                    continue;
                }
                if (next == '\n') {
                    pos += 2;
                    line++;
                    lineStart = pos;
                    continue;
                }
            }
            out.append(c);
            pos++;
            if (c == '\n') {
                line++;
                lineStart = pos;
            }
        }
        throw new ParseException(Diagnostic.of(file, openLine, openColumn, Kind.UNTERMINATED_QUOTE,
                "opened at line " + openLine + " column " + openColumn));
    }

    private void skipInlineSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
                pos += 2;
                line++;
                lineStart = pos;
            } else {
                return;
            }
        }
    }

    private void skipComment() {
        while (pos < text.length() && text.charAt(pos) != '\n') {
            pos++;
        }
    }

    private void newline() {
        pos++;
        line++;
        lineStart = pos;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }
}
