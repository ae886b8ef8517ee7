package dev.quilt.zstor.config;

import dev.quilt.zstor.backend.Backend;
import dev.quilt.zstor.backend.BackendGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A validated zstor configuration, read from TOML in 0-stor_v2's format (see the module README
 * for every key). A value of this type always describes a layout that can keep its promise: at
 * least {@code expectedShards} data backends, and a placement that survives losing
 * {@code redundantGroups} whole groups plus {@code redundantNodes} backends in each other group.
 *
 * @param minimalShards k: data shards per stripe, the fewest needed to read it back
 * @param expectedShards n = k + m: shards written per stripe
 * @param redundantGroups whole groups that may be lost
 * @param redundantNodes backends that may be lost in every remaining group
 * @param stripeSize bytes of the input per stripe (ours; the unit of memory use and of encryption)
 * @param writeQuorum shards of every stripe that must be written for a store to succeed (ours;
 *     k..n, default min(n, k + 1)); the others are recorded as pending and written by a rebuild
 * @param masterKey wraps data keys and encrypts metadata
 * @param compression how stripes are compressed
 * @param meta where metadata records live
 * @param groups data backends by failure domain
 * @param host 0-stor_v2's settings for the local daemon and its 0-db cache, kept so configs port over
 */
public record ZstorConfig(
        int minimalShards,
        int expectedShards,
        int redundantGroups,
        int redundantNodes,
        int stripeSize,
        int writeQuorum,
        MasterKey masterKey,
        Compression compression,
        Meta meta,
        List<BackendGroup> groups,
        Host host) {

    /** Default {@code stripe_size}: 4 MiB, so a stripe of 16 shards is 256 KiB per shard. */
    public static final int DEFAULT_STRIPE_SIZE = 4 << 20;
    /** Smallest {@code stripe_size}: below this, per-stripe metadata outweighs the data. */
    public static final int MIN_STRIPE_SIZE = 64 << 10;
    /** Largest {@code stripe_size}: a few stripes are held in memory per object in flight. */
    public static final int MAX_STRIPE_SIZE = 64 << 20;
    /** Most shards per stripe: Reed-Solomon over GF(2^8) has 255 distinct evaluation points. */
    public static final int MAX_SHARDS = 255;

    /** zdb's largest value (0-db's too): a shard must fit in one. */
    public static final int MAX_SHARD_BYTES = 8 << 20;

    public ZstorConfig {
        groups = List.copyOf(groups);
    }

    /**
     * The longest shard a stripe of {@code stripeSize} input bytes can make with k data shards: a
     * sealed stripe is at most the input plus a 16-byte GCM tag per 64 KiB segment (the pipeline's
     * {@code ObjectCipher.sealedLength}, restated here so config does not depend on the pipeline),
     * split into k equal parts.
     */
    public static long maxShardLength(int stripeSize, int k) {
        long segments = Math.max(1, ((long) stripeSize + 65535) / 65536);
        return ((long) stripeSize + 16 * segments + k - 1) / k;
    }

    /** m: parity shards per stripe (0-stor_v2's "disposable shards"). */
    public int parityShards() {
        return expectedShards - minimalShards;
    }

    /** Parses and validates TOML text. @throws ConfigException naming the key at fault */
    public static ZstorConfig parse(String toml) {
        return ConfigReader.read(toml);
    }

    /**
     * Reads and validates a TOML file.
     *
     * @throws ConfigException naming the file and the key at fault
     */
    public static ZstorConfig load(Path file) throws IOException {
        String text = Files.readString(file);
        try {
            return ConfigReader.read(text);
        } catch (ConfigException e) {
            throw ConfigException.in(file.toString(), e);
        }
    }

    /** Compression of stripes before encryption. */
    public record Compression(Algorithm algorithm, int level) {
        /** Default zstd level: fast, and most of zstd's ratio on chain data. */
        public static final int DEFAULT_LEVEL = 3;

        public enum Algorithm { ZSTD, NONE }
    }

    /**
     * The metadata cluster: every record is written to all backends and the write succeeds once
     * {@code writeQuorum} of them acknowledged; a read needs one backend holding a copy that
     * decrypts.
     */
    public record Meta(String prefix, List<Backend> backends, int writeQuorum) {
        public Meta {
            backends = List.copyOf(backends);
        }
    }

    /** 0-stor_v2's daemon and cache settings, all optional. */
    public record Host(Optional<Path> root, Optional<Path> socket, Optional<Path> pidFile,
            Optional<Path> zdbDataDirPath, OptionalLong maxZdbDataDirSizeMib, Optional<Path> zdbfsMountpoint,
            OptionalInt prometheusPort) {
    }
}
