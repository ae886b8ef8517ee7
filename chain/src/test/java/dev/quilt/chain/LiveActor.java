package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.testkit.Await;
import java.time.Duration;
import java.util.Optional;

/**
 * One key sending transactions to a live chain node, one at a time: each is signed with the
 * key's next nonce in the node's state, submitted through the node, and awaited until a committed
 * block holds its outcome. Confine each key to one thread.
 */
final class LiveActor {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    final Ed25519KeyPair key;
    private final ChainNode node;

    LiveActor(ChainNode node, Ed25519KeyPair key) {
        this.node = node;
        this.key = key;
    }

    Outcome send(Transaction tx) {
        SignedTransaction signed = SignedTransaction.sign(key, node.genesis().chainId(),
                node.state().account(key.publicKey()).nonce(), Long.MAX_VALUE, tx);
        node.submit(signed).join();
        Hash256 hash = BlockProducer.hashOf(signed);
        Await.until(() -> node.inclusion(hash).isPresent(), TIMEOUT, () -> "inclusion of " + tx);
        RocksStateStore.Inclusion in = node.inclusion(hash).orElseThrow();
        return node.block(in.height()).orElseThrow().outcomes().get(in.position());
    }

    /** Sends, failing the test if the transaction was refused (stored outcomes carry no events). */
    void ok(Transaction tx) {
        if (send(tx) instanceof Outcome.Refused r) {
            throw new AssertionError(tx + " refused: " + r.reason());
        }
    }

    /** Sends and returns the refusal reason, or empty when it was accepted. */
    Optional<String> refusal(Transaction tx) {
        return send(tx) instanceof Outcome.Refused r ? Optional.of(r.reason()) : Optional.empty();
    }
}
