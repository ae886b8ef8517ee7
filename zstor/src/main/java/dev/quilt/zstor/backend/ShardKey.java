package dev.quilt.zstor.backend;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Where one shard lives inside a backend's namespace (user-key mode):
 * {@code objectHash (16 bytes) || generation (u64) || stripe (u32) || shard index (u8)}, 29 bytes,
 * big-endian. The generation is the store that wrote the shard, so a new version of an object
 * writes new keys and never overwrites the shards the committed metadata still points at.
 *
 * @param objectHash 16 bytes identifying the object (a truncated SHA-256 of its key)
 * @param generation the metadata generation of the store that wrote the shard
 * @param stripe the stripe index
 * @param index the shard index, 0..n-1
 */
public record ShardKey(byte[] objectHash, long generation, int stripe, int index) {

    /** Bytes of {@link #objectHash()}. */
    public static final int HASH_BYTES = 16;
    /** Bytes of {@link #bytes()}. */
    public static final int BYTES = HASH_BYTES + 8 + 4 + 1;

    public ShardKey {
        if (objectHash.length != HASH_BYTES) {
            throw new IllegalArgumentException("objectHash length: " + objectHash.length + " (expected: 16)");
        }
        if (stripe < 0 || index < 0 || index > 254) {
            throw new IllegalArgumentException("stripe: " + stripe + ", index: " + index
                    + " (expected: stripe >= 0, index 0..254)");
        }
        objectHash = objectHash.clone();
    }

    /** The zdb key. */
    public byte[] bytes() {
        return ByteBuffer.allocate(BYTES).put(objectHash).putLong(generation).putInt(stripe).put((byte) index).array();
    }

    @Override
    public byte[] objectHash() {
        return objectHash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShardKey k && generation == k.generation && stripe == k.stripe && index == k.index
                && Arrays.equals(objectHash, k.objectHash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(objectHash) * 31 + Long.hashCode(generation) * 17 + stripe * 7 + index;
    }

    @Override
    public String toString() {
        return "shard " + index + " of stripe " + stripe + " (object " + HexFormat.of().formatHex(objectHash)
                + ", generation " + generation + ")";
    }
}
