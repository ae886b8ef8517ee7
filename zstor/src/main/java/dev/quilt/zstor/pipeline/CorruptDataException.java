package dev.quilt.zstor.pipeline;

import java.io.IOException;
import java.io.Serial;

/**
 * Stored bytes failed a check: a stripe or a wrapped data key did not authenticate, or a
 * decompressed stripe has the wrong length. The bytes are never returned; the caller may try
 * other shards or report the object damaged.
 */
public final class CorruptDataException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    public CorruptDataException(String message, Throwable cause) {
        super(message, cause);
    }

    public CorruptDataException(String message) {
        super(message);
    }
}
