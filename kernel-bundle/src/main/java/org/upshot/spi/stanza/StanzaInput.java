package org.upshot.spi.stanza;

import java.util.List;

/**
 * One stanza as the parser read it.
 *
 * @param jobName the job's name ({@code net/foo} for {@code net/foo.conf})
 * @param keyword the stanza keyword, e.g. {@code socket}
 * @param arguments the words after the keyword, unquoted, with their positions
 * @param line 1-based line of the keyword
 * @param column 1-based column of the keyword
 */
public record StanzaInput(String jobName, String keyword, List<Word> arguments, int line, int column) {

    public StanzaInput {
        arguments = List.copyOf(arguments);
    }

    /** One argument word and where it starts. */
    public record Word(String text, int line, int column) {}
}
