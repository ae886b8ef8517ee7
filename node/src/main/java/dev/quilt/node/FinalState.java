package dev.quilt.node;

import dev.quilt.chain.BlockHeader;
import dev.quilt.chain.CertifiedHeader;
import dev.quilt.chain.ChainClient;
import dev.quilt.chain.Genesis;
import dev.quilt.chain.LightClient;
import dev.quilt.chain.ValidatorSet;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ledger's state as far as it is final, read from an untrusted chain API and believed only
 * after the {@link LightClient} has accepted the header (a quorum of the validators signed it) and
 * the entry's Merkle proof checks against that header's state root.
 *
 * <p>The light client starts at the genesis the node was given and follows every header in order;
 * a header without a quorum yet is asked for again until {@code finalityWait} runs out, which
 * makes the caller's answer "not final yet" rather than a guess.
 *
 * <p>Thread-safe: one lock serializes following the chain and reading entries (the light client is
 * not thread-safe, and following is sequential anyway).
 */
final class FinalState {
    /** Accepted headers kept for proofs served a little behind the newest one. */
    private static final int KEEP_HEADERS = 4096;
    private static final Duration POLL = Duration.ofMillis(50);

    /** An entry (or its absence) proven under the final header at {@code height}. */
    record Entry(long height, Optional<byte[]> value) {}

    /** The block an answer depends on has no quorum yet. */
    static final class NotFinalException extends IOException {
        NotFinalException(String message) {
            super(message);
        }
    }

    private final ChainClient chain;
    private final Duration finalityWait;
    private final ReentrantLock lock = new ReentrantLock();
    // @GuardedBy("lock")
    private final LightClient light;
    // @GuardedBy("lock")
    private final Map<Long, BlockHeader> headers = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, BlockHeader> eldest) {
            return size() > KEEP_HEADERS;
        }
    };

    FinalState(ChainClient chain, Genesis genesis, Duration finalityWait) {
        this.chain = chain;
        this.finalityWait = finalityWait;
        this.light = new LightClient(genesis.header(), ValidatorSet.of(genesis.state().params()));
        headers.put(0L, genesis.header());
    }

    String chainId() {
        return light.latest().chainId();
    }

    /** The latest header the light client accepted. */
    BlockHeader latest() {
        lock.lock();
        try {
            return light.latest();
        } finally {
            lock.unlock();
        }
    }

    /** Follows the chain up to the head the API reports (once that head is final) and returns it. */
    BlockHeader followHead() throws IOException, InterruptedException {
        long head = chain.status().height();
        lock.lock();
        try {
            followTo(head);
            return light.latest();
        } finally {
            lock.unlock();
        }
    }

    /** The entry at {@code key} under the chain's head once that head is final, checked against its state root. */
    Entry entry(byte[] key) throws IOException, InterruptedException {
        ChainClient.ProvenEntry proven = chain.proof(key);
        lock.lock();
        try {
            followTo(proven.height());
            BlockHeader header = headers.get(proven.height());
            if (header == null || !header.hash().equals(proven.blockHash())) {
                throw new IOException("the chain API proved key under block " + proven.blockHash() + " at height "
                        + proven.height() + ", which is not the final header there");
            }
            boolean holds = proven.value().isPresent()
                    ? light.verifyEntry(header, key, proven.value().get(), proven.proof())
                    : light.verifyAbsence(header, key, proven.proof());
            if (!holds) {
                throw new IOException("the chain API's proof for key does not check against the final state root at height "
                        + proven.height());
            }
            return new Entry(proven.height(), proven.value());
        } finally {
            lock.unlock();
        }
    }

    /** Follows the chain up to {@code height} (no-op when already there). Caller holds the lock. */
    private void followTo(long height) throws IOException, InterruptedException {
        while (light.latest().height() < height) {
            long next = light.latest().height() + 1;
            long deadline = System.nanoTime() + finalityWait.toNanos();
            while (true) {
                Optional<CertifiedHeader> certified = chain.certified(next);
                if (certified.isPresent()) {
                    switch (light.offer(certified.get(), Optional.empty())) {
                        case LightClient.Verdict.Accepted a -> headers.put(next, a.header());
                        case LightClient.Verdict.Refused r when r.reason().startsWith("too few valid signatures") -> { }
                        case LightClient.Verdict.Refused r -> throw new IOException(
                                "the chain API served a header at height " + next + " that the light client refuses: " + r.reason());
                    }
                    if (light.latest().height() == next) {
                        break;
                    }
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new NotFinalException("block " + next + " is not final yet");
                }
                Thread.sleep(POLL);
            }
        }
    }
}
