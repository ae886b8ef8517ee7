package dev.quilt.chain;

import dev.quilt.common.crypto.Hash256;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What {@link ChainHttpApi} and {@link ChainMetrics} serve from: a validator or listener
 * ({@link ChainNode}) or a follower of another node's API ({@link ChainFollower}). Implementations
 * are thread-safe.
 */
interface ChainSource {
    Genesis genesis();

    /** The last committed block's header. */
    BlockHeader head();

    /** The state after {@link #head()}. */
    LedgerState state();

    Optional<Block> block(long height);

    List<HeaderSignature> signatures(long height);

    /** The recent certified blocks block {@code height} was built with (its uptime challenges). */
    NavigableMap<Long, Hash256> challenges(long height);

    Optional<RocksStateStore.Inclusion> inclusion(Hash256 transactionHash);

    /** True when block {@code height} is committed and signed by a quorum of the validators in force. */
    boolean isFinal(long height);

    /**
     * Submits a transaction; completes once it is accepted for ordering, or exceptionally with an
     * {@link IllegalArgumentException} naming why it was refused.
     */
    CompletableFuture<String> submit(SignedTransaction tx);

    /** Fields {@code /v1/status} adds to the chain id and height. */
    Map<String, Object> statusDetails();

    /** Called after each committed block; must not block. */
    void onBlock(Consumer<Block> listener);
}
