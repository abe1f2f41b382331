package org.upshot.control;

/** Text that is not valid JSON, or JSON that does not have the shape a message needs. */
public class JsonException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and, for syntax errors, where */
    public JsonException(String message) {
        super(message);
    }
}
