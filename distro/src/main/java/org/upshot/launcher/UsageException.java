package org.upshot.launcher;

/** A bad command line: the message says what is wrong, the launcher exits with status 2. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, without the program name */
    public UsageException(String message) {
        super(message);
    }
}
