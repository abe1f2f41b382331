package org.upshot.source.files.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput.Word;

/**
 * The {@code watch PATH [created|modified|deleted|nonempty]...} stanza, translated
 * into {@code file} matches:
 *
 * <table>
 *   <caption>watch conditions</caption>
 *   <tr><th>stanza</th><th>becomes</th></tr>
 *   <tr><td>{@code watch P}</td><td>{@code file FILE=P} (any change)</td></tr>
 *   <tr><td>{@code watch P created}</td><td>{@code file FILE=P EVENT=create}</td></tr>
 *   <tr><td>{@code watch P modified}</td><td>{@code file FILE=P EVENT=modify}</td></tr>
 *   <tr><td>{@code watch P deleted}</td><td>{@code file FILE=P EVENT=delete}</td></tr>
 *   <tr><td>{@code watch D nonempty}</td><td>{@code file FILE=D/ EVENT=create}</td></tr>
 * </table>
 *
 * Several of {@code created modified deleted} may be given; they are joined with
 * {@code or}. {@code nonempty} stands alone: it turns a path without a wildcard into a
 * directory pattern (a trailing {@code /} is added), so it fires when an entry appears
 * in the directory, and, through the startup announcement every {@code create} match
 * gets, when the directory already holds entries as the job is first seen.
 */
public final class WatchStanza {

    /** The stanza keyword. */
    public static final String KEYWORD = "watch";

    private static final String NONEMPTY = "nonempty";
    private static final Map<String, FileEventKind> KINDS = Map.of(
            "created", FileEventKind.CREATE,
            "modified", FileEventKind.MODIFY,
            "deleted", FileEventKind.DELETE);

    private WatchStanza() {}

    /**
     * Translates one occurrence of the stanza.
     *
     * @param arguments the words after {@code watch}
     * @param line line of the keyword, for an error when the path is missing
     * @param column column of the keyword
     * @param home the directory {@code ~/} stands for
     * @return the conditions, at least one, to be joined with {@code or}
     * @throws StanzaException positioned at the offending word
     */
    public static List<FileCondition> parse(List<Word> arguments, int line, int column, Path home)
            throws StanzaException {
        if (arguments.isEmpty()) {
            throw new StanzaException("watch needs a path: watch PATH [created|modified|deleted|nonempty]",
                    line, column);
        }
        Word pathWord = arguments.get(0);
        PathPattern pattern;
        try {
            pattern = PathPattern.parse(pathWord.text(), home);
        } catch (IllegalArgumentException e) {
            throw StanzaException.at(pathWord, "watch: " + e.getMessage());
        }
        List<Word> conditionWords = arguments.subList(1, arguments.size());
        Set<FileEventKind> kinds = EnumSet.noneOf(FileEventKind.class);
        for (Word word : conditionWords) {
            if (word.text().equals(NONEMPTY)) {
                if (conditionWords.size() > 1) {
                    throw StanzaException.at(word, "watch: nonempty cannot be combined with other conditions");
                }
                String file = pattern.wildcard() || pattern.isDirectory() ? pathWord.text() : pathWord.text() + "/";
                return List.of(new FileCondition(file, Optional.of(FileEventKind.CREATE)));
            }
            FileEventKind kind = KINDS.get(word.text());
            if (kind == null) {
                throw StanzaException.at(word, "watch: unknown condition '" + word.text()
                        + "', expected created, modified, deleted or nonempty");
            }
            if (!kinds.add(kind)) {
                throw StanzaException.at(word, "watch: '" + word.text() + "' given twice");
            }
        }
        if (kinds.isEmpty()) {
            return List.of(new FileCondition(pathWord.text(), Optional.empty()));
        }
        List<FileCondition> conditions = new ArrayList<>();
        for (FileEventKind kind : kinds) {
            conditions.add(new FileCondition(pathWord.text(), Optional.of(kind)));
        }
        return conditions;
    }

    /** Canonical text for {@code show-config}: the stanza as written, single-spaced. */
    public static String settings(List<Word> arguments) {
        StringBuilder text = new StringBuilder(KEYWORD);
        for (Word word : arguments) {
            text.append(' ').append(quoted(word.text()));
        }
        return text.toString();
    }

    private static String quoted(String word) {
        if (!word.isEmpty() && word.chars().noneMatch(c -> Character.isWhitespace(c) || "\"\\#'".indexOf(c) >= 0)) {
            return word;
        }
        return '"' + word.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
