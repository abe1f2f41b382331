package org.upshot.engine.internal.control;

import org.upshot.control.ErrorCode;

/** A request refused by the control server itself, before or instead of the engine. */
final class RequestFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    RequestFailure(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    ErrorCode code() {
        return code;
    }
}
