package dev.quilt.zstor.config;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 256-bit root secret of a zstor deployment (TOML {@code [encryption] key}, 64 hex characters).
 * It wraps every object's data key and encrypts every metadata record; it never leaves the
 * process. {@link #toString()} does not print it.
 */
public final class MasterKey {

    private final byte[] key;

    private MasterKey(byte[] key) {
        this.key = key;
    }

    /**
     * @param hex 64 hexadecimal characters
     * @throws IllegalArgumentException when it is not 64 hex characters (the key is not echoed)
     */
    public static MasterKey fromHex(String hex) {
        if (hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "a key of %d characters that are not all hex (expected: 64 hex characters, 32 bytes;"
                            + " generate one with `openssl rand -hex 32`)", hex.length()));
        }
        return new MasterKey(HexFormat.of().parseHex(hex));
    }

    public static MasterKey of(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("key length: " + key.length + " (expected: 32)");
        }
        return new MasterKey(key.clone());
    }

    /** An AES key for the JDK's {@code Cipher}. */
    public SecretKey secretKey() {
        return new SecretKeySpec(key, "AES");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MasterKey other && MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        return 0; // never a map key; avoids leaking key bits through hashing
    }

    @Override
    public String toString() {
        return "MasterKey[redacted]";
    }
}
