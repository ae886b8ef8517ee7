package dev.quilt.zstor.meta;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Everything needed to read one object back, given the master key: its size and digest, the
 * stripe size, the k and m its stripes were actually encoded with, its wrapped data key, where each
 * of its n shards lives, and per stripe the sealed length, flags and every shard's checksum.
 * Stored encrypted (see {@link MetadataCodec}).
 *
 * <p>Every write of an object's record (store, rebuild, delete) carries a higher {@code generation}
 * than the one it replaces; readers keep the highest generation that opens. A delete writes a
 * {@linkplain #tombstone tombstone} (no shards, no stripes) rather than removing the record, so a
 * metadata backend that missed the delete and still holds an older generation cannot bring the
 * object back.
 *
 * <p>All stripes of an object use the same n backends: shard i of every stripe is on
 * {@code shards().get(i)}. Passwords are not recorded; they come from the configuration, so a
 * record holds no backend secrets.
 *
 * @param objectId 1..255 bytes naming the object
 * @param generation increases with every record written for this object, >= 0
 * @param tombstone the object was deleted; all other fields then hold their empty values
 * @param shardGeneration the generation of the store that wrote the shards, part of every shard's
 *     key; a rebuild writes a new {@code generation} but keeps this one
 * @param size plaintext bytes, >= 0
 * @param stripeSize plaintext bytes per stripe; the last stripe may be shorter
 * @param dataShards k used for this object
 * @param parityShards m used for this object
 * @param wrappedKey the object's data key, wrapped under the master key
 * @param contentDigest SHA-256 of the plaintext, 32 bytes
 * @param shards k + m locations, by shard index, each saying whether that shard is pending
 * @param stripes one entry per stripe: {@code ceil(size / stripeSize)} of them
 */
public record MetadataRecord(
        byte[] objectId,
        long generation,
        boolean tombstone,
        long shardGeneration,
        long size,
        int stripeSize,
        int dataShards,
        int parityShards,
        byte[] wrappedKey,
        byte[] contentDigest,
        List<ShardLocation> shards,
        List<StripeInfo> stripes) {

    /** Most shards per stripe (GF(2^8) Reed-Solomon). */
    public static final int MAX_SHARDS = 255;
    /** Bytes of {@link #contentDigest()}. */
    public static final int DIGEST_BYTES = 32;

    public MetadataRecord {
        Objects.requireNonNull(objectId, "objectId");
        Objects.requireNonNull(wrappedKey, "wrappedKey");
        Objects.requireNonNull(contentDigest, "contentDigest");
        shards = List.copyOf(shards);
        stripes = List.copyOf(stripes);
        objectId = objectId.clone();
        wrappedKey = wrappedKey.clone();
        contentDigest = contentDigest.clone();
        require(objectId.length >= 1 && objectId.length <= 255, "objectId length", objectId.length, "1..255");
        require(generation >= 0, "generation", generation, ">= 0");
        if (tombstone) {
            require(size == 0 && shardGeneration == 0 && stripeSize == 1 && dataShards == 0 && parityShards == 0 && wrappedKey.length == 0
                    && shards.isEmpty() && stripes.isEmpty() && Arrays.equals(contentDigest, new byte[DIGEST_BYTES]),
                    "tombstone size", size, "a tombstone holds only the empty values tombstone() gives");
        } else {
            require(shardGeneration >= 0 && shardGeneration <= generation, "shardGeneration", shardGeneration,
                    "0..generation = " + generation);
            checkObject(size, stripeSize, dataShards, parityShards, wrappedKey, contentDigest, shards, stripes);
        }
    }

    private static void checkObject(long size, int stripeSize, int dataShards, int parityShards, byte[] wrappedKey,
            byte[] contentDigest, List<ShardLocation> shards, List<StripeInfo> stripes) {
        require(size >= 0, "size", size, ">= 0");
        require(stripeSize >= 1, "stripeSize", stripeSize, ">= 1");
        require(dataShards >= 1, "dataShards", dataShards, ">= 1");
        require(parityShards >= 0 && dataShards + parityShards <= MAX_SHARDS, "parityShards", parityShards,
                "0.." + (MAX_SHARDS - dataShards));
        require(wrappedKey.length <= 0xffff, "wrappedKey length", wrappedKey.length, "<= 65535");
        require(contentDigest.length == DIGEST_BYTES, "contentDigest length", contentDigest.length, "32");
        require(shards.size() == dataShards + parityShards, "shards", shards.size(),
                "dataShards + parityShards = " + (dataShards + parityShards));
        require(stripes.size() == stripeCount(size, stripeSize), "stripes", stripes.size(),
                "ceil(size / stripeSize) = " + stripeCount(size, stripeSize));
        for (StripeInfo s : stripes) {
            require(s.checksums().length == shards.size() * StripeInfo.CHECKSUM_BYTES, "stripe checksums length",
                    s.checksums().length, shards.size() + " shards x " + StripeInfo.CHECKSUM_BYTES);
        }
    }

    /** The record a delete writes: the object is gone as of {@code generation}. */
    public static MetadataRecord tombstone(byte[] objectId, long generation) {
        return new MetadataRecord(objectId, generation, true, 0, 0, 1, 0, 0, new byte[0], new byte[DIGEST_BYTES],
                List.of(), List.of());
    }

    /** This record with another generation and shard locations (a rebuild moves or restores shards). */
    public MetadataRecord withShards(long newGeneration, List<ShardLocation> newShards) {
        return new MetadataRecord(objectId, newGeneration, tombstone, shardGeneration, size, stripeSize, dataShards, parityShards,
                wrappedKey, contentDigest, newShards, stripes);
    }

    /** Shard indexes recorded as pending: not written, or lost and waiting for a rebuild. */
    public SortedSet<Integer> pendingShards() {
        SortedSet<Integer> pending = new TreeSet<>();
        for (int i = 0; i < shards.size(); i++) {
            if (shards.get(i).pending()) {
                pending.add(i);
            }
        }
        return pending;
    }

    /** n = k + m. */
    public int totalShards() {
        return dataShards + parityShards;
    }

    /** Plaintext bytes in stripe {@code index}: the stripe size, or the remainder for the last. */
    public int plainLength(int index) {
        return (int) Math.min(stripeSize, size - (long) index * stripeSize);
    }

    static long stripeCount(long size, int stripeSize) {
        return size == 0 ? 0 : (size - 1) / stripeSize + 1;
    }

    private static void require(boolean ok, String field, long value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %d (expected: %s)", field, value, expected));
        }
    }

    @Override
    public byte[] objectId() {
        return objectId.clone();
    }

    @Override
    public byte[] wrappedKey() {
        return wrappedKey.clone();
    }

    @Override
    public byte[] contentDigest() {
        return contentDigest.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetadataRecord r && generation == r.generation && tombstone == r.tombstone
                && shardGeneration == r.shardGeneration && size == r.size && stripeSize == r.stripeSize
                && dataShards == r.dataShards && parityShards == r.parityShards
                && Arrays.equals(objectId, r.objectId) && Arrays.equals(wrappedKey, r.wrappedKey)
                && Arrays.equals(contentDigest, r.contentDigest) && shards.equals(r.shards) && stripes.equals(r.stripes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(objectId), generation, tombstone, shardGeneration, size, stripeSize, dataShards, parityShards, shards, stripes);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MetadataRecord[object=%s, generation=%d, tombstone=%b, size=%d, stripeSize=%d, k=%d, m=%d,"
                + " shards=%s, stripes=%d]", HexFormat.of().formatHex(objectId), generation, tombstone, size, stripeSize, dataShards, parityShards, shards, stripes.size());
    }

    /**
     * Where one shard index lives.
     *
     * @param address {@code host:port} or {@code [ipv6]:port}
     * @param namespace the zdb namespace; empty for the server's default
     * @param pending the shard is not stored there (its write failed, or it was found lost): a
     *     reader skips it and a rebuild writes it
     */
    public record ShardLocation(String address, String namespace, boolean pending) {
        public ShardLocation {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(namespace, "namespace");
            if (address.isEmpty()) {
                throw new IllegalArgumentException("address is empty");
            }
        }
    }

    /**
     * One stripe as stored.
     *
     * @param sealedLength bytes of the sealed stripe before Reed-Solomon padding
     * @param flags the sealer's flags (bit 0: zstd)
     * @param checksums n checksums of {@value #CHECKSUM_BYTES} bytes, shard 0 first
     */
    public record StripeInfo(int sealedLength, byte flags, byte[] checksums) {

        public static final int CHECKSUM_BYTES = 16;

        public StripeInfo {
            if (sealedLength < 0) {
                throw new IllegalArgumentException("sealedLength < 0: " + sealedLength);
            }
            checksums = checksums.clone();
        }

        @Override
        public byte[] checksums() {
            return checksums.clone();
        }

        /** The checksum of shard {@code index}. */
        public byte[] checksum(int index) {
            return Arrays.copyOfRange(checksums, index * CHECKSUM_BYTES, (index + 1) * CHECKSUM_BYTES);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StripeInfo s && sealedLength == s.sealedLength && flags == s.flags
                    && Arrays.equals(checksums, s.checksums);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * sealedLength + flags) + Arrays.hashCode(checksums);
        }

        @Override
        public String toString() {
            return "StripeInfo[sealedLength=" + sealedLength + ", flags=" + flags + ", checksums="
                    + HexFormat.of().formatHex(checksums) + "]";
        }
    }
}
