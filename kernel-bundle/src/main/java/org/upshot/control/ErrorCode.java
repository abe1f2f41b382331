package org.upshot.control;

/**
 * Why a request failed: the {@code code} field of an error reply.
 *
 * <p>Pinned: codes are only ever added. History:
 * <ul>
 * <li>v1 (0.1.0): every code below.</li>
 * </ul>
 */
public enum ErrorCode {
    /** Not valid JSON, not an object, or a field missing or of the wrong type. */
    BAD_REQUEST,
    /** The request's {@code v} is not a version this server speaks. */
    UNSUPPORTED_VERSION,
    /** The {@code cmd} is not one this server knows. */
    UNKNOWN_COMMAND,
    /** The request line was longer than {@link Protocol#MAX_LINE_BYTES}; the connection closes. */
    REQUEST_TOO_LARGE,
    /** The caller's uid may not send this command. */
    PERMISSION_DENIED,
    /** The server is at its connection or pending-request limit; try again. */
    BUSY,
    /** No job of that name is loaded. */
    UNKNOWN_JOB,
    /** The job has no instance for the given environment. */
    UNKNOWN_INSTANCE,
    /** {@code start} of an instance whose goal is already start. */
    ALREADY_RUNNING,
    /** {@code stop} or {@code restart} of an instance whose goal is already stop. */
    ALREADY_STOPPED,
    /** {@code reload} of an instance with no main process. */
    NOT_RUNNING,
    /** The job or event failed ({@code Job failed to start}, {@code Event failed}). */
    FAILED,
    /** An argument the job or command refuses ({@code Unknown parameter: X}). */
    BAD_ARGUMENT,
    /** A fault inside the daemon; the message says what. */
    INTERNAL;

    /** The code named {@code name}, or {@link #INTERNAL} for a code this client does not know. */
    public static ErrorCode fromWireName(String name) {
        for (ErrorCode code : values()) {
            if (code.name().equals(name)) {
                return code;
            }
        }
        return INTERNAL;
    }
}
