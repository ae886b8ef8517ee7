package dev.quilt.zstor.backend;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How many of an object's n shards go to each failure domain, so that losing any
 * {@code redundantGroups} whole groups plus {@code redundantNodes} backends in every other group
 * still leaves at least k shards.
 *
 * <p>The adversary removes the groups holding the most surviving shards; a group holding c shards
 * keeps {@code max(0, c - redundantNodes)} after losing nodes. For a fixed set of groups the count
 * vector that spreads shards as evenly as the group sizes allow (water filling) is majorized by
 * every other, so it minimizes what the adversary can remove. So the planner makes the u largest
 * groups "productive" (each gets {@code redundantNodes} plus an even share of the rest, up to its
 * size), puts any shards they cannot hold on the other groups (where they survive nothing but are
 * still written), tries every u and keeps the best. More groups spread further but cost
 * {@code redundantNodes} shards each. That is O(G² log G) in the number of groups G, computed once per
 * configuration, against 0-stor_v2's enumeration of every subset and composition. A property test
 * checks the planner against brute force on small layouts.
 */
public final class ShardLayout {

    private ShardLayout() {
    }

    /**
     * Plans shard counts for groups of the given sizes.
     *
     * @param groupSizes backends per group, any order
     * @return counts aligned with {@code groupSizes}, summing to n, each within its group's size;
     *     empty when no layout survives the required losses
     */
    public static Optional<int[]> plan(int[] groupSizes, int k, int n, int redundantGroups, int redundantNodes) {
        if (k < 1 || n < k || redundantGroups < 0 || redundantNodes < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "k: %d, n: %d, redundantGroups: %d, redundantNodes: %d (expected: 1 <= k <= n, redundancy >= 0)",
                    k, n, redundantGroups, redundantNodes));
        }
        Integer[] order = new Integer[groupSizes.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Largest first; ties by index so the plan is deterministic.
        Arrays.sort(order, (a, b) -> groupSizes[a] != groupSizes[b]
                ? Integer.compare(groupSizes[b], groupSizes[a]) : Integer.compare(a, b));
        int[] sortedSizes = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            sortedSizes[i] = groupSizes[order[i]];
        }
        int[] best = null;
        int bestSurvivors = -1;
        long total = 0;
        for (int size : sortedSizes) {
            total += size;
        }
        long productiveExcess = 0;
        long productiveSize = 0;
        for (int used = 1; used <= sortedSizes.length; used++) {
            if (sortedSizes[used - 1] < redundantNodes || (long) used * redundantNodes > n) {
                break;
            }
            productiveExcess += sortedSizes[used - 1] - redundantNodes;
            productiveSize += sortedSizes[used - 1];
            long excess = Math.min(n - (long) used * redundantNodes, productiveExcess);
            long dumped = n - (long) used * redundantNodes - excess;
            if (dumped > total - productiveSize) {
                continue;
            }
            int[] counts = place(sortedSizes, used, redundantNodes, (int) excess, (int) dumped);
            int survivors = survivors(counts, redundantGroups, redundantNodes);
            if (survivors >= bestSurvivors) {
                best = counts;
                bestSurvivors = survivors;
            }
        }
        if (best == null || bestSurvivors < k) {
            return Optional.empty();
        }
        int[] aligned = new int[groupSizes.length];
        for (int i = 0; i < order.length; i++) {
            aligned[order[i]] = best[i];
        }
        return Optional.of(aligned);
    }

    /**
     * The shards left after the worst loss of {@code redundantGroups} whole groups and
     * {@code redundantNodes} backends in each remaining group.
     */
    public static int survivors(int[] counts, int redundantGroups, int redundantNodes) {
        int[] kept = new int[counts.length];
        for (int i = 0; i < counts.length; i++) {
            kept[i] = Math.max(0, counts[i] - redundantNodes);
        }
        Arrays.sort(kept);
        int total = 0;
        for (int i = 0; i < kept.length - redundantGroups; i++) {
            total += kept[i];
        }
        return total;
    }

    /**
     * The first {@code used} groups (sorted largest first) each get {@code redundantNodes} shards
     * plus an even share of {@code excess} (water filling over what each can hold beyond that);
     * shards that do not fit there ({@code dumped}) go to the other groups, largest first.
     */
    private static int[] place(int[] sortedSizes, int used, int redundantNodes, int excess, int dumped) {
        int[] counts = new int[sortedSizes.length];
        int remaining = excess;
        for (int i = used - 1; i >= 0; i--) {
            int give = Math.min(sortedSizes[i] - redundantNodes, remaining / (i + 1));
            counts[i] = redundantNodes + give;
            remaining -= give;
        }
        for (int i = used; i < sortedSizes.length && dumped > 0; i++) {
            counts[i] = Math.min(sortedSizes[i], dumped);
            dumped -= counts[i];
        }
        if (remaining != 0 || dumped != 0) {
            throw new AssertionError("capacity was checked: " + remaining + "+" + dumped + " shards left over");
        }
        return counts;
    }
}
