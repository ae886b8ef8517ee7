package dev.quilt.node;

import dev.quilt.chain.BlockHeader;
import dev.quilt.chain.ChainClient;
import dev.quilt.chain.Genesis;
import dev.quilt.chain.Transaction;
import dev.quilt.common.crypto.Ed25519KeyPair;
import java.io.IOException;

/**
 * Answers the ledger's uptime challenge: signs, in an {@code AttestUptime} transaction, the hash
 * of the newest final block the light client accepted. The hash cannot be known before that
 * block, so an attestation proves the node was live after it.
 *
 * <p>Not thread-safe; called from the agent's one maintenance thread.
 */
final class UptimeAttester {
    private final ChainClient chain;
    private final Genesis genesis;
    private final FinalState state;
    private final Ed25519KeyPair key;
    private final long nodeId;

    UptimeAttester(ChainClient chain, Genesis genesis, FinalState state, Ed25519KeyPair key, long nodeId) {
        this.chain = chain;
        this.genesis = genesis;
        this.state = state;
        this.key = key;
        this.nodeId = nodeId;
    }

    /** Attests once and waits until the attestation is final; a refusal is an {@link IOException}. */
    void attest() throws IOException, InterruptedException {
        BlockHeader challenge = state.followHead();
        NodeRegistration.submit(chain, genesis, key, new Transaction.AttestUptime(nodeId, challenge.height(), challenge.hash()));
    }
}
