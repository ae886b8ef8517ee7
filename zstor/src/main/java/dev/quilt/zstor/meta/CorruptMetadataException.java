package dev.quilt.zstor.meta;

import java.io.IOException;
import java.io.Serial;

/**
 * A stored metadata record could not be read: it does not authenticate under the master key
 * (altered, truncated, or sealed with another key), or its decrypted bytes are not a valid
 * record. The message names the offset or check that failed.
 */
public final class CorruptMetadataException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    public CorruptMetadataException(String message) {
        super(message);
    }

    public CorruptMetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
