package dev.quilt.zstor;

import dev.quilt.zstor.erasure.ErasureCoder;

/**
 * Splits a sealed stripe into k equal data shards (zero-padded), adds m parity shards, and joins
 * them back. With m = 0 the stripe is only split: Reed-Solomon needs at least one parity shard.
 * Thread-safe.
 */
final class ShardCoding {

    private final int k;
    private final int m;
    private final ErasureCoder coder;

    ShardCoding(int k, int m) {
        if (k > ErasureCoder.MAX_DATA_SHARDS || m > ErasureCoder.MAX_PARITY_SHARDS) {
            throw new IllegalArgumentException(String.format(
                    "minimal_shards: %d, parity %d (expected: minimal_shards <= %d and expected_shards -"
                            + " minimal_shards <= %d, the Reed-Solomon coder's limits)",
                    k, m, ErasureCoder.MAX_DATA_SHARDS, ErasureCoder.MAX_PARITY_SHARDS));
        }
        this.k = k;
        this.m = m;
        this.coder = m == 0 ? null : ErasureCoder.reedSolomon(k, m);
    }

    int dataShards() {
        return k;
    }

    int totalShards() {
        return k + m;
    }

    /** Bytes per shard for a sealed stripe of {@code sealedLength} bytes. */
    int shardLength(int sealedLength) {
        return Math.max(1, (sealedLength + k - 1) / k);
    }

    /** Writes the n shards of {@code sealed[0, sealedLength)} into {@code shards[i][0, shardLength)}. */
    void encode(byte[] sealed, int sealedLength, byte[][] shards) {
        int len = shardLength(sealedLength);
        for (int i = 0; i < k; i++) {
            int from = Math.min(sealedLength, i * len);
            int copied = Math.min(len, sealedLength - from);
            System.arraycopy(sealed, from, shards[i], 0, copied);
            java.util.Arrays.fill(shards[i], copied, len, (byte) 0);
        }
        if (coder != null) {
            byte[][] data = java.util.Arrays.copyOfRange(shards, 0, k);
            byte[][] parity = java.util.Arrays.copyOfRange(shards, k, k + m);
            coder.encode(data, parity, 0, len);
        }
    }

    /** Fills in every shard not present, from k present ones. */
    void reconstruct(byte[][] shards, boolean[] present, int shardLength) {
        if (coder != null) {
            coder.reconstruct(shards, present, 0, shardLength);
        }
    }

    /** Writes the sealed stripe, from its data shards, into {@code sealed[0, sealedLength)}. */
    void join(byte[][] shards, int sealedLength, byte[] sealed) {
        int len = shardLength(sealedLength);
        for (int i = 0; i < k; i++) {
            int from = Math.min(sealedLength, i * len);
            System.arraycopy(shards[i], 0, sealed, from, Math.min(len, sealedLength - from));
        }
    }
}
