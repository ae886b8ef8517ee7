package dev.quilt.chain;

import dev.quilt.common.metrics.MetricsRegistry;

/**
 * A node's Prometheus metrics: head height, transactions applied (accepted or refused), and
 * finality lag, the blocks between the head and the newest final block.
 */
public final class ChainMetrics {
    /** How far back from the head the lag is searched; a larger lag is reported as this. */
    static final int MAX_LAG = 64;

    private ChainMetrics() {}

    public static void register(ChainNode node, MetricsRegistry registry) {
        registerFor(node, registry);
    }

    /** A follower's metrics: the same, of its own verified copy of the chain. */
    public static void register(ChainFollower follower, MetricsRegistry registry) {
        registerFor(follower, registry);
        registry.gauge("quilt_chain_follower_lag_blocks", "Blocks between the upstream's head and this follower's",
                follower::lag);
    }

    private static void registerFor(ChainSource node, MetricsRegistry registry) {
        registry.gauge("quilt_chain_height", "Height of the last committed block", () -> node.head().height());
        MetricsRegistry.Counter accepted = registry.counter("quilt_chain_transactions_total",
                "Transactions applied in committed blocks", "outcome", "accepted");
        MetricsRegistry.Counter refused = registry.counter("quilt_chain_transactions_total",
                "Transactions applied in committed blocks", "outcome", "refused");
        node.onBlock(block -> block.outcomes().forEach(o -> (switch (o) {
            case Outcome.Accepted a -> accepted;
            case Outcome.Refused r -> refused;
        }).increment()));
        registry.gauge("quilt_chain_finality_lag_blocks", "Blocks between the head and the newest final block",
                () -> finalityLag(node));
    }

    static long finalityLag(ChainSource node) {
        long head = node.head().height();
        for (long lag = 0; lag < MAX_LAG && head - lag > 0; lag++) {
            if (node.isFinal(head - lag)) {
                return lag;
            }
        }
        return Math.min(head, MAX_LAG);
    }
}
