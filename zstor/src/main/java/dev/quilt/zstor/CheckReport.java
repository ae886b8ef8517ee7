package dev.quilt.zstor;

import java.util.List;

/**
 * What a scrub of one object found.
 *
 * @param key the object
 * @param health {@link Health#HEALTHY} when every shard of every stripe verified
 * @param problems one entry per shard index with at least one bad stripe
 */
public record CheckReport(String key, Health health, List<ShardProblem> problems) {

    public CheckReport {
        problems = List.copyOf(problems);
    }

    /** An object's state. */
    public enum Health {
        /** Every shard verified. */
        HEALTHY,
        /** Some shards are bad, but every stripe still has k good ones: a rebuild repairs it. */
        DEGRADED,
        /** Some stripe has fewer than k good shards: the object cannot be read. */
        LOST
    }

    /**
     * One shard index of the object that did not fully verify.
     *
     * @param shardIndex 0..n-1
     * @param backend the backend's id ({@code host:port/namespace})
     * @param kind what was wrong
     * @param badStripes how many stripes had this shard bad
     */
    public record ShardProblem(int shardIndex, String backend, Kind kind, long badStripes) {

        /** Why a shard is bad. */
        public enum Kind {
            /** The backend answered, without the shard. */
            MISSING,
            /** The shard's bytes do not match the checksum in the metadata. */
            CORRUPT,
            /** The backend did not answer. */
            UNREACHABLE,
            /** The metadata records the shard as never written. */
            PENDING
        }
    }
}
