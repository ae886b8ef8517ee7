package dev.quilt.node;

import dev.quilt.chain.ChainClient;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reacts to contract changes as they become final instead of at the next resync: follows the
 * chain's stream of final blocks and, after each, asks the API for this node's contracts; a
 * contract whose state changed (or that left the state) is reconciled at once.
 *
 * <p>The API's listing is only a hint of <em>which</em> contract to look at: the reconciler decides
 * on the contract's state proven under a final header, as always, so a lying API can cause at most
 * a needless proof or a delay until the periodic resync (which stays as the fallback). A broken
 * stream is opened again from the next block, with doubling back-off.
 *
 * <p>Thread-safe: one virtual thread follows; {@link #close} stops it.
 */
final class ContractWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContractWatcher.class);

    /** Reconciles one contract's stored deployment, if this node has one. */
    @FunctionalInterface
    interface Reaction {
        void changed(long contractId) throws IOException, InterruptedException;
    }

    private final ChainClient chain;
    private final long nodeId;
    private final Reaction reaction;
    private final Backoff backoff;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private Map<Long, String> seen = new HashMap<>();
    private long next = -1;

    ContractWatcher(ChainClient chain, long nodeId, Reaction reaction, Backoff backoff) {
        this.chain = chain;
        this.nodeId = nodeId;
        this.reaction = reaction;
        this.backoff = backoff;
        this.thread = Thread.ofVirtual().name("contract-watcher").start(this::follow);
    }

    private void follow() {
        int failures = 0;
        while (stop.getCount() > 0) {
            try {
                long from = next >= 0 ? next : chain.status().height();
                chain.stream(from, block -> {
                    next = block.header().height() + 1;
                    try {
                        look();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                    return stop.getCount() > 0;
                });
                failures = 0;
            } catch (IOException e) {
                if (stop.getCount() == 0) {
                    return;
                }
                failures++;
                log.warn("following final blocks failed ({} in a row): {}", failures, e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (stop.await(backoff.delay(Math.max(failures, 1)).toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Compares this node's contracts with what the last block showed; reconciles those that changed. */
    private void look() throws IOException, InterruptedException {
        Map<Long, String> now = new HashMap<>();
        for (ChainClient.ContractSummary c : chain.contracts(OptionalLong.empty(), OptionalLong.of(nodeId), Optional.empty())) {
            now.put(c.id(), c.state());
        }
        Set<Long> ids = new HashSet<>(seen.keySet());
        ids.addAll(now.keySet());
        Map<Long, String> previous = seen;
        seen = now;
        for (long id : ids) {
            if (!java.util.Objects.equals(previous.get(id), now.get(id))) {
                try {
                    reaction.changed(id);
                } catch (IOException e) {
                    // Look again after the next block.
                    seen.put(id, "retry");
                    log.warn("contract {}: reconcile after its change failed: {}", id, e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        stop.countDown();
        thread.interrupt();
    }
}
