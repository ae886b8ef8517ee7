package dev.quilt.node;

import dev.quilt.chain.Genesis;
import dev.quilt.chain.Resources;
import dev.quilt.common.crypto.Ed25519KeyPair;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How a node agent runs.
 *
 * @param chain the chain API it reads from and submits to (untrusted: answers are checked)
 * @param genesis the chain's genesis: the light client's root of trust
 * @param key the node's twin key (signs its transactions)
 * @param nodeId the node's id on the ledger
 * @param capacity what this node offers (measured, see {@link CapacityProbe})
 * @param data the node's data directory: accepted deployments, workloads, zdb
 * @param intake where the intake listens
 * @param zdb where the node's zdb listens, with its admin password; empty for no zdb
 * @param cgroupParent the cgroup under which workloads' groups are made
 * @param resyncEvery how often every deployment is reconciled against final state
 * @param attestEvery how often the node attests uptime and reports its contracts' usage; zero for never
 */
public record NodeConfig(URI chain, Genesis genesis, Ed25519KeyPair key, long nodeId, Resources capacity, Path data,
                         InetSocketAddress intake, Optional<ZdbListen> zdb, String cgroupParent, Duration resyncEvery,
                         Duration attestEvery) {

    /** The node's zdb: address and admin password. */
    public record ZdbListen(InetSocketAddress address, String adminPassword) {}

    public NodeConfig {
        if (nodeId < 1) {
            throw new IllegalArgumentException("nodeId: " + nodeId + " (expected: >= 1)");
        }
        if (!cgroupParent.matches("[a-z0-9][a-z0-9_-]{0,39}")) {
            throw new IllegalArgumentException("cgroupParent: " + cgroupParent + " (expected: [a-z0-9][a-z0-9_-]{0,39})");
        }
    }
}
