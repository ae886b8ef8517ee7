package dev.quilt.common.crypto;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 32-byte SHA-256 digest (or any value of that shape, such as a block or deployment hash).
 * Immutable; ordered by unsigned bytes so sorted maps keyed by hashes are canonical.
 */
public final class Hash256 implements Comparable<Hash256> {
    public static final int LENGTH = 32;
    public static final Hash256 ZERO = new Hash256(new byte[LENGTH]);

    private final byte[] bytes;

    private Hash256(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of exactly 32 bytes. */
    public static Hash256 of(byte[] bytes) {
        return new Hash256(Bytes32.copyOfLength(bytes, LENGTH, "hash"));
    }

    public static Hash256 fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return Bytes32.hex(bytes);
    }

    @Override
    public int compareTo(Hash256 other) {
        return Bytes32.compare(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash256 h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
