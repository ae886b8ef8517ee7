package dev.quilt.zstor.backend;

import java.io.IOException;
import java.io.Serial;

/** A backend could not be reached, timed out, or refused a command; the message names it. */
public final class BackendUnavailableException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
