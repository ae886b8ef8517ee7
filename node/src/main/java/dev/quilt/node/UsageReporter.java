package dev.quilt.node;

import dev.quilt.chain.ChainClient;
import dev.quilt.chain.Genesis;
import dev.quilt.chain.Transaction;
import dev.quilt.common.crypto.Ed25519KeyPair;
import java.io.IOException;
import java.util.List;

/**
 * Reports, for billing, what each running deployment uses. What is reported is what the document
 * reserves on this node (processes' CPU and memory limits, volumes' and namespaces' sizes): the
 * node holds that much for it whether it is busy or not. Public traffic is not metered yet (0).
 *
 * <p>Not thread-safe; called from the agent's one maintenance thread.
 */
final class UsageReporter {
    private final ChainClient chain;
    private final Genesis genesis;
    private final Ed25519KeyPair key;
    private final DeploymentStore store;
    private final Reconciler reconciler;

    UsageReporter(ChainClient chain, Genesis genesis, Ed25519KeyPair key, DeploymentStore store, Reconciler reconciler) {
        this.chain = chain;
        this.genesis = genesis;
        this.key = key;
        this.store = store;
        this.reconciler = reconciler;
    }

    void report() throws IOException, InterruptedException {
        for (SignedDeployment d : store.all()) {
            if (!((List<?>) reconciler.status(d.contractId()).get("workloads")).isEmpty()) {
                NodeRegistration.submit(chain, genesis, key, new Transaction.ReportUsage(d.contractId(), d.document().resources(), 0));
            }
        }
    }
}
