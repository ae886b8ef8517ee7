package dev.quilt.common.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 over one or more byte arrays, concatenated. */
public final class Sha256 {
    private Sha256() {}

    public static Hash256 digest(byte[]... parts) {
        MessageDigest md = newDigest();
        for (byte[] part : parts) {
            md.update(part);
        }
        return Hash256.of(md.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE runtime must provide SHA-256; its absence is a broken JDK.
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
