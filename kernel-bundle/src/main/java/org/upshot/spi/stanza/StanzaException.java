package org.upshot.spi.stanza;

/** A stanza's arguments are wrong; the message names what was expected. */
public class StanzaException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    /**
     * @param line 1-based line of the offending word
     * @param column 1-based column of the offending word
     */
    public StanzaException(String message, int line, int column) {
        super(message);
        this.line = line;
        this.column = column;
    }

    /** An error at the given word. */
    public static StanzaException at(StanzaInput.Word word, String message) {
        return new StanzaException(message, word.line(), word.column());
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
