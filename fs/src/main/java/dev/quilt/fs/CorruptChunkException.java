package dev.quilt.fs;

import java.io.IOException;

/** Bytes served for a chunk or manifest that do not hash to its name, or a manifest that does not decode. */
public final class CorruptChunkException extends IOException {
    public CorruptChunkException(String message) {
        super(message);
    }
}
