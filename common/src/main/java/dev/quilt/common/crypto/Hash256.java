package dev.quilt.common.crypto;

import java.util.HexFormat;

/**
 * A 32-byte SHA-256 digest (or any value of that shape, such as a block or deployment hash).
 * Immutable; ordered by unsigned bytes so sorted maps keyed by hashes are canonical.
 */
public final class Hash256 extends FixedBytes<Hash256> {
    public static final int LENGTH = 32;
    public static final Hash256 ZERO = new Hash256(new byte[LENGTH]);

    private Hash256(byte[] bytes) {
        super(bytes);
    }

    /** Wraps a copy of exactly 32 bytes. */
    public static Hash256 of(byte[] bytes) {
        return new Hash256(copyOfLength(bytes, LENGTH, "hash"));
    }

    public static Hash256 fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }
}
