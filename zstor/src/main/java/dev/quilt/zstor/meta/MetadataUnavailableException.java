package dev.quilt.zstor.meta;

import java.io.IOException;
import java.io.Serial;

/** Too few metadata backends answered for a read or write to be sure; the message names the ones that failed. */
public final class MetadataUnavailableException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    public MetadataUnavailableException(String message) {
        super(message);
    }
}
