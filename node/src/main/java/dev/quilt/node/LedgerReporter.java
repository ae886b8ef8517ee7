package dev.quilt.node;

import dev.quilt.chain.BlockHeader;
import dev.quilt.chain.ChainClient;
import dev.quilt.chain.Genesis;
import dev.quilt.chain.Transaction;
import dev.quilt.common.crypto.Ed25519KeyPair;
import java.io.IOException;
import java.util.List;

/**
 * What the node tells the ledger on its own: its uptime and its contracts' usage.
 *
 * <ul>
 * <li>Uptime is challenge–response: an {@code AttestUptime} signs the hash of the newest final
 *     block the light client accepted. The hash cannot be known before that block, so an
 *     attestation proves the node was live after it.
 * <li>Usage, for billing, is what each running deployment's document reserves on this node
 *     (processes' CPU and memory limits, volumes' and namespaces' sizes): the node holds that
 *     much for it whether it is busy or not. Public traffic is not metered yet (0).
 * </ul>
 *
 * <p>Not thread-safe; called from the agent's one maintenance thread.
 */
final class LedgerReporter {
    private final ChainClient chain;
    private final Genesis genesis;
    private final FinalState state;
    private final Ed25519KeyPair key;
    private final long nodeId;

    LedgerReporter(ChainClient chain, Genesis genesis, FinalState state, Ed25519KeyPair key, long nodeId) {
        this.chain = chain;
        this.genesis = genesis;
        this.state = state;
        this.key = key;
        this.nodeId = nodeId;
    }

    /** Attests once and waits until the attestation is final; a refusal is an {@link IOException}. */
    void attestUptime() throws IOException, InterruptedException {
        BlockHeader challenge = state.followHead();
        NodeRegistration.submit(chain, genesis, key, new Transaction.AttestUptime(nodeId, challenge.height(), challenge.hash()));
    }

    /** Reports the usage of every deployment that has workloads here. */
    void reportUsage(DeploymentStore store, Reconciler reconciler) throws IOException, InterruptedException {
        for (SignedDeployment d : store.all()) {
            if (!((List<?>) reconciler.status(d.contractId()).get("workloads")).isEmpty()) {
                NodeRegistration.submit(chain, genesis, key, new Transaction.ReportUsage(d.contractId(), d.document().resources(), 0));
            }
        }
    }
}
