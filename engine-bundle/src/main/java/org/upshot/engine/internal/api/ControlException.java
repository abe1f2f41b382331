package org.upshot.engine.internal.api;

/**
 * A control request that cannot be carried out. The message is the text
 * {@code initctl} prints after its program name, as Upstart worded it.
 */
public class ControlException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a request failed; each maps to a control-protocol error code. */
    public enum Reason {
        /** {@code Unknown job: NAME}. */
        UNKNOWN_JOB,
        /** {@code Unknown instance: NAME (INSTANCE)}. */
        UNKNOWN_INSTANCE,
        /** {@code Job is already running: NAME}. */
        ALREADY_RUNNING,
        /** {@code Job has already been stopped: NAME}. */
        ALREADY_STOPPED,
        /** {@code Job is not running: NAME}. */
        NOT_RUNNING,
        /** {@code Job failed to start}, {@code Event failed}, ... */
        FAILED,
        /** {@code Unknown parameter: VAR}, {@code Env must be KEY=VALUE pairs}. */
        BAD_ARGUMENT,
        /** {@code Permission denied}. */
        PERMISSION_DENIED
    }

    private final Reason reason;

    public ControlException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
