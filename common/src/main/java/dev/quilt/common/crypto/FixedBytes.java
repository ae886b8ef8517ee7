package dev.quilt.common.crypto;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The shared shape of this package's fixed-length byte values (keys, hashes): an immutable array
 * compared by content, ordered by unsigned bytes (so sorted maps keyed by them are canonical), and
 * shown as lowercase hex.
 */
abstract sealed class FixedBytes<T extends FixedBytes<T>> implements Comparable<T> permits Ed25519PublicKey, Hash256 {
    final byte[] bytes;

    FixedBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    static byte[] copyOfLength(byte[] bytes, int length, String what) {
        if (bytes == null || bytes.length != length) {
            throw new IllegalArgumentException(
                    what + " must be " + length + " bytes, got " + (bytes == null ? "null" : bytes.length));
        }
        return bytes.clone();
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public int compareTo(T other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && Arrays.equals(bytes, ((FixedBytes<?>) o).bytes);
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
