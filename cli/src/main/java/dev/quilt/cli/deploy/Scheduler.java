package dev.quilt.cli.deploy;

import dev.quilt.cli.CliException;
import dev.quilt.chain.Resources;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Picks the node for a deployment by rank, not by chance. Nodes that fail a constraint are
 * counted per constraint, so "nothing fits" says what excluded how many. The rest are ordered by:
 * spread (a node whose farm, then country, is not yet used by the deployment's group first), price
 * (the hourly price of the request at the farm's policy), attested uptime (more windows first),
 * fit (the most free capacity left, as the smaller of the CPU and memory shares), then id.
 */
final class Scheduler {
    /** Where a deployment may go: a node, a farm (id or name) or a country; any may be absent. */
    record Constraints(OptionalLong node, Optional<String> farm, Optional<String> country) {
        static Constraints none() {
            return new Constraints(OptionalLong.empty(), Optional.empty(), Optional.empty());
        }
    }

    /** Farms and countries already used by other members of the deployment's group. */
    record Spread(Set<Long> farms, Set<String> countries) {
        static Spread none() {
            return new Spread(Set.of(), Set.of());
        }
    }

    private Scheduler() {}

    /** The nodes that fit, best first; throws a one-line error naming the excluding constraints when none do. */
    static List<LedgerView.NodeInfo> rank(List<LedgerView.NodeInfo> nodes, Resources need, Constraints c, Spread spread,
                                          java.util.function.ToLongFunction<LedgerView.NodeInfo> price) {
        Map<String, Integer> excluded = new LinkedHashMap<>();
        List<LedgerView.NodeInfo> fit = new ArrayList<>();
        for (LedgerView.NodeInfo n : nodes) {
            String why = exclusion(n, need, c);
            if (why == null) {
                fit.add(n);
            } else {
                excluded.merge(why, 1, Integer::sum);
            }
        }
        if (fit.isEmpty()) {
            StringBuilder msg = new StringBuilder("no node fits " + describe(need) + ": of " + nodes.size() + " node(s)");
            excluded.forEach((why, count) -> msg.append(", ").append(count).append(" excluded by ").append(why));
            throw CliException.input(msg.toString());
        }
        fit.sort(Comparator.<LedgerView.NodeInfo>comparingInt(n -> spread.farms().contains(n.farmId()) ? 1 : 0)
                .thenComparingInt(n -> spread.countries().contains(n.country()) ? 1 : 0)
                .thenComparingLong(price)
                .thenComparing(Comparator.comparingInt(LedgerView.NodeInfo::attested).reversed())
                .thenComparing(Comparator.comparingDouble((LedgerView.NodeInfo n) -> headroom(n, need)).reversed())
                .thenComparingLong(LedgerView.NodeInfo::id));
        return fit;
    }

    private static String exclusion(LedgerView.NodeInfo n, Resources need, Constraints c) {
        if (c.node().isPresent() && c.node().getAsLong() != n.id()) {
            return "--node " + c.node().getAsLong();
        }
        if (c.farm().isPresent() && !c.farm().get().equals(n.farmName()) && !c.farm().get().equals(Long.toString(n.farmId()))) {
            return "--farm " + c.farm().get();
        }
        if (c.country().isPresent() && !c.country().get().equalsIgnoreCase(n.country())) {
            return "--country " + c.country().get();
        }
        if (!n.up()) {
            return "uptime (no attestation in the last two windows)";
        }
        if (n.free().cru() < need.cru()) {
            return "free CPU (need " + need.cru() + ")";
        }
        if (n.free().mru() < need.mru()) {
            return "free memory (need " + gib(need.mru()) + ")";
        }
        if (n.free().sru() < need.sru()) {
            return "free SSD (need " + gib(need.sru()) + ")";
        }
        return null;
    }

    /** What is left free after placing: the smaller of the CPU and memory shares, 0 to 1. */
    private static double headroom(LedgerView.NodeInfo n, Resources need) {
        double cpu = n.capacity().cru() == 0 ? 0 : (n.free().cru() - need.cru()) / (double) n.capacity().cru();
        double mem = n.capacity().mru() == 0 ? 0 : (n.free().mru() - need.mru()) / (double) n.capacity().mru();
        return Math.min(cpu, mem);
    }

    static String describe(Resources r) {
        return r.cru() + " CPU, " + gib(r.mru()) + " memory, " + gib(r.sru()) + " SSD";
    }

    static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
