package dev.quilt.common.crypto;

import java.util.Arrays;
import java.util.HexFormat;

/** Shared checks for the fixed-size byte values of this package. */
final class Bytes32 {
    private Bytes32() {}

    static byte[] copyOfLength(byte[] bytes, int length, String what) {
        if (bytes == null || bytes.length != length) {
            throw new IllegalArgumentException(
                    what + " must be " + length + " bytes, got " + (bytes == null ? "null" : bytes.length));
        }
        return bytes.clone();
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }
}
