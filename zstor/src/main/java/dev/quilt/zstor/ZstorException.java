package dev.quilt.zstor;

import java.io.IOException;

/** A zstor operation failed; the message says what and why, for a user to read. */
public class ZstorException extends IOException {

    public ZstorException(String message) {
        super(message);
    }

    public ZstorException(String message, Throwable cause) {
        super(message, cause);
    }
}
