package dev.quilt.zstor.pipeline;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The checksum stored in metadata for every shard: SHA-256 truncated to 16 bytes.
 *
 * <p>Why not CRC32C: backends are other people's machines. A CRC catches bit rot, but a backend
 * that alters a shard can fix up a CRC, and the damage would only show after Reed-Solomon
 * decoding, when the stripe fails authentication, without saying which of n shards was bad
 * (finding it means retrying subsets of k). With a cryptographic digest kept in the encrypted
 * metadata, a shard that verifies is the shard that was written, so a bad one is simply an
 * erasure. 128 bits keep second preimages out of reach; the JDK's SHA-256 uses CPU intrinsics,
 * so hashing costs about as much as one more memory pass over the shard.
 */
public final class ShardChecksum {

    /** Bytes per checksum. */
    public static final int SIZE = 16;

    private ShardChecksum() {
    }

    /** Bytes per {@link MessageDigest#update} call in {@link #update}. */
    private static final int CHUNK = 64 * 1024;

    /** The checksum of {@code bytes[off, off+len)}. */
    public static byte[] of(byte[] bytes, int off, int len) {
        MessageDigest digest = sha256();
        update(digest, bytes, off, len);
        return Arrays.copyOf(digest.digest(), SIZE);
    }

    /**
     * Feeds a digest in 64 KiB calls. Why: the JDK's SHA-256 uses the CPU's SHA instructions only
     * once its block loop is JIT-compiled, which takes many calls; a few multi-MiB calls keep it
     * interpreted and several times slower.
     */
    public static void update(MessageDigest digest, byte[] bytes, int off, int len) {
        for (int i = 0; i < len; i += CHUNK) {
            digest.update(bytes, off + i, Math.min(CHUNK, len - i));
        }
    }

    /** Whether {@code bytes[off, off+len)} has this checksum; compares in constant time. */
    public static boolean matches(byte[] expected, byte[] bytes, int off, int len) {
        return expected.length == SIZE && MessageDigest.isEqual(expected, of(bytes, off, len));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
