package dev.quilt.chain;

import java.util.List;

/**
 * Farmer rewards, on the ledger and with receipts (tfchain computes them off chain, monthly).
 *
 * <p>At the first block end at or after the end of a reward period, each node registered before
 * the period's end is scored: the share (‰) of the period's uptime windows since its registration
 * that it attested. At or above {@code minUptimePermille} its farm owner is minted
 * {@code weight · rewardPerWeightPerPeriod}, pro rata to the windows it was registered for,
 * rounded down, with a {@link Event.FarmerRewarded} receipt; below it, a
 * {@link Event.RewardWithheld} receipt. Periods missed while no block ended are paid in order.
 * Attested windows that no period or unbilled contract still needs are then pruned.
 */
final class Rewards {
    private Rewards() {}

    static void payFinishedPeriods(WorkingState s, BlockContext block, List<Event> events) {
        long period = s.params.rewardPeriodSeconds();
        while (block.time() >= s.rewardPeriodStart + period) {
            long start = s.rewardPeriodStart;
            long end = start + period;
            for (Node node : List.copyOf(s.nodes.values())) {
                if (node.registeredAt() < end) {
                    reward(s, node, start, end, events);
                }
            }
            s.rewardPeriodStart = end;
            prune(s, end);
        }
    }

    private static void reward(WorkingState s, Node node, long start, long end, List<Event> events) {
        long window = s.params.uptimeWindowSeconds();
        long first = Math.max(start, node.registeredAt()) / window;
        long last = end / window;
        long expected = last - first;
        long attested = node.attestedWindows().stream().filter(w -> w >= first && w < last).count();
        int permille = (int) (attested * 1000 / expected);
        if (permille < s.params.minUptimePermille()) {
            events.add(new Event.RewardWithheld(node.id(), start, end, permille));
            return;
        }
        long windowsPerPeriod = s.params.rewardPeriodSeconds() / window;
        long amount = Pricing.mulDiv(NodeWeight.of(node.capacity()), s.params.rewardPerWeightPerPeriod(), expected,
                windowsPerPeriod);
        // Minting never overflows the supply counter: a reward that would is cut to what fits.
        amount = Math.min(amount, Long.MAX_VALUE - s.minted);
        Farm farm = s.farms.get(node.farmId());
        if (amount > 0) {
            s.mint(s.accountOfTwin(farm.ownerTwin()), amount);
        }
        events.add(new Event.FarmerRewarded(node.id(), farm.id(), start, end, permille, amount));
    }

    private static void prune(WorkingState s, long periodEnd) {
        long window = s.params.uptimeWindowSeconds();
        for (Node node : List.copyOf(s.nodes.values())) {
            long keepFrom = periodEnd / window;
            for (Contract c : s.liveContracts()) {
                if (c.nodeId() == node.id()) {
                    keepFrom = Math.min(keepFrom, c.billedUntil() / window);
                }
            }
            long from = keepFrom;
            List<Long> kept = node.attestedWindows().stream().filter(w -> w >= from).toList();
            if (kept.size() != node.attestedWindows().size()) {
                s.nodes.put(node.id(), node.withWindows(kept));
            }
        }
    }
}
