package dev.quilt.zstor.meta;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The 16-byte name of an object in backend keys: SHA-256 of its key, truncated. Backends see only
 * this, never the key itself.
 */
public final class ObjectHash {

    public static final int BYTES = 16;

    private ObjectHash() {
    }

    public static byte[] of(byte[] objectId) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(objectId), BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
