package dev.quilt.fs;

import dev.quilt.common.crypto.Hash256;

/**
 * One fixed-size piece of a file: the SHA-256 of its plaintext and its length. A chunk of zeros only (a
 * hole) is never stored; its hash is {@link Hash256#ZERO}, so sparse files stay sparse.
 */
public record ChunkRef(Hash256 hash, int length) {
    public ChunkRef {
        if (length < 0) {
            throw new IllegalArgumentException("chunk length " + length + " < 0");
        }
    }

    /** A hole of {@code length} zero bytes. */
    public static ChunkRef hole(int length) {
        return new ChunkRef(Hash256.ZERO, length);
    }

    public boolean isHole() {
        return hash.equals(Hash256.ZERO);
    }
}
