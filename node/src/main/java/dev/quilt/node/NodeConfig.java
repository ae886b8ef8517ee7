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
 * @param ports the host ports workloads' ports are given from
 * @param publicHost the address workloads are reached at: {@code ${host}} in their args, the host of their endpoints,
 *                   and where health checks probe them
 * @param sealingKey the file of the node's X25519 sealing key (made on first start, mode 0600)
 * @param metrics where Prometheus metrics are served; empty for nowhere
 */
public record NodeConfig(URI chain, Genesis genesis, Ed25519KeyPair key, long nodeId, Resources capacity, Path data,
                         InetSocketAddress intake, Optional<ZdbListen> zdb, String cgroupParent, Duration resyncEvery,
                         Duration attestEvery, PortRange ports, String publicHost, Path sealingKey,
                         Optional<InetSocketAddress> metrics) {

    /** The node's zdb: address and admin password. */
    public record ZdbListen(InetSocketAddress address, String adminPassword) {}

    /** An inclusive range of host ports. */
    public record PortRange(int low, int high) {
        public static final PortRange DEFAULT = new PortRange(20000, 29999);

        public PortRange {
            if (low < 1024 || high > 65535 || low > high) {
                throw new IllegalArgumentException("ports: " + low + "-" + high + " (expected: LO-HI within 1024-65535, LO <= HI)");
            }
        }

        /** Parses {@code LO-HI}. */
        public static PortRange parse(String text) {
            String[] parts = text.strip().split("-");
            try {
                if (parts.length == 2) {
                    return new PortRange(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("ports: '" + text + "' (expected: LO-HI, e.g. 20000-29999)");
        }

        @Override
        public String toString() {
            return low + "-" + high;
        }
    }

    public NodeConfig {
        if (nodeId < 1) {
            throw new IllegalArgumentException("nodeId: " + nodeId + " (expected: >= 1)");
        }
        if (!cgroupParent.matches("[a-z0-9][a-z0-9_-]{0,39}")) {
            throw new IllegalArgumentException("cgroupParent: " + cgroupParent + " (expected: [a-z0-9][a-z0-9_-]{0,39})");
        }
        if (publicHost.isBlank() || publicHost.chars().anyMatch(c -> c <= ' ' || c == '/')) {
            throw new IllegalArgumentException("publicHost: '" + publicHost + "' (expected: a host name or address)");
        }
    }

    /**
     * The default ports ({@link PortRange#DEFAULT}), the intake's host as the public host (loopback
     * when the intake listens on every address), and the sealing key in {@code <data>/sealing.key}.
     */
    public NodeConfig(URI chain, Genesis genesis, Ed25519KeyPair key, long nodeId, Resources capacity, Path data,
                      InetSocketAddress intake, Optional<ZdbListen> zdb, String cgroupParent, Duration resyncEvery,
                      Duration attestEvery) {
        this(chain, genesis, key, nodeId, capacity, data, intake, zdb, cgroupParent, resyncEvery, attestEvery,
                PortRange.DEFAULT, defaultPublicHost(intake), data.resolve("sealing.key"), Optional.empty());
    }

    /** The intake's host, or loopback when it listens on every address. */
    public static String defaultPublicHost(InetSocketAddress intake) {
        return intake.getAddress() == null || intake.getAddress().isAnyLocalAddress() ? "127.0.0.1" : intake.getHostString();
    }

    public NodeConfig withMetrics(InetSocketAddress metrics) {
        return new NodeConfig(chain, genesis, key, nodeId, capacity, data, intake, zdb, cgroupParent, resyncEvery, attestEvery,
                ports, publicHost, sealingKey, Optional.of(metrics));
    }

    public NodeConfig withPorts(PortRange ports) {
        return new NodeConfig(chain, genesis, key, nodeId, capacity, data, intake, zdb, cgroupParent, resyncEvery, attestEvery,
                ports, publicHost, sealingKey, metrics);
    }
}
