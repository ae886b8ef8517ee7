package dev.quilt.chain;

import dev.quilt.chain.ContractKind.NodeContract;
import dev.quilt.chain.ContractState.DeletionReason;
import dev.quilt.chain.ContractState.GracePeriod;
import dev.quilt.common.crypto.Ed25519PublicKey;
import java.util.List;

/**
 * Billing at block boundaries, and the grace period.
 *
 * <p>A live contract is billed once a billing period of block time has passed since it was last
 * billed, for exactly the elapsed seconds (pro rata to the second, whatever the block jitter).
 * Time-based charges count only seconds in uptime windows the contract's node attested
 * ({@link Pricing#liveSeconds}): no bill for a window in which the node did not prove it was live.
 * Name contracts are not tied to a node and are billed for all elapsed time.
 *
 * <p>A twin that cannot pay a bill puts the contract into {@link GracePeriod} (nodes pause the
 * workloads and keep their data); further bills add to its debt. At every block end, a contract in
 * grace whose twin's balance now covers the debt is paid and returns to Created; one whose grace
 * period has run out is deleted with reason OUT_OF_FUNDS and its unpaid debt is written off.
 * Each paid bill credits the farm owner {@code farmerSharePercent} % and burns the rest.
 */
final class BillingCycle {
    private BillingCycle() {}

    static void billDue(WorkingState s, BlockContext block, List<Event> events) {
        for (Contract c : s.liveContracts()) {
            if (block.time() - c.billedUntil() >= s.params.billingPeriodSeconds()) {
                bill(s, c, block.time(), events);
            }
        }
    }

    static void resolveGracePeriods(WorkingState s, BlockContext block, List<Event> events) {
        for (Contract c : s.liveContracts()) {
            if (!(c.state() instanceof GracePeriod grace)) {
                continue;
            }
            if (s.balance(payer(s, c)) >= grace.unpaid()) {
                Contract resumed = c.withState(ContractState.CREATED);
                s.contracts.put(c.id(), resumed);
                pay(s, resumed, grace.unpaid(), events);
                events.add(new Event.GracePeriodEnded(c.id(), c.nodeId(), grace.unpaid()));
            } else if (block.time() - grace.since() >= s.params.gracePeriodSeconds()) {
                ContractRules.delete(s, c, DeletionReason.OUT_OF_FUNDS, events);
            }
        }
    }

    /**
     * Cancellation: bills the time since the last bill, then takes what the twin can pay of that
     * and of any grace debt. What it cannot pay is written off, so a twin out of funds can still
     * cancel (a tfchain complaint: grace contracts that could not be cancelled).
     */
    static void settleFinal(WorkingState s, Contract c, BlockContext block, List<Event> events) {
        Charge charge = charge(s, c, c.billedUntil(), block.time());
        long due = charge.charged();
        if (c.state() instanceof GracePeriod grace) {
            due = Pricing.addCapped(due, grace.unpaid());
        }
        long paid = Math.min(due, s.balance(payer(s, c)));
        Contract settled = reset(c, block.time());
        s.contracts.put(c.id(), settled);
        if (paid > 0) {
            events.add(new Event.ContractBilled(c.id(), c.billedUntil(), block.time(), charge.liveSeconds(),
                    charge.percentPaid(), paid));
            pay(s, settled, paid, events);
        }
    }

    private static void bill(WorkingState s, Contract c, long to, List<Event> events) {
        Charge charge = charge(s, c, c.billedUntil(), to);
        Contract billed = reset(c, to);
        switch (c.state()) {
            case ContractState.Created created -> {
                if (s.balance(payer(s, c)) >= charge.charged()) {
                    s.contracts.put(c.id(), billed);
                    if (charge.charged() > 0) {
                        events.add(new Event.ContractBilled(c.id(), c.billedUntil(), to, charge.liveSeconds(),
                                charge.percentPaid(), charge.charged()));
                        pay(s, billed, charge.charged(), events);
                    }
                } else {
                    s.contracts.put(c.id(), billed.withState(new GracePeriod(to, charge.charged())));
                    events.add(new Event.GracePeriodStarted(c.id(), c.nodeId(), c.twinId(), charge.charged()));
                }
            }
            case GracePeriod grace ->
                    s.contracts.put(c.id(), billed.withState(new GracePeriod(grace.since(),
                            Pricing.addCapped(grace.unpaid(), charge.charged()))));
            case ContractState.Deleted deleted -> throw new IllegalStateException("billing deleted contract " + c.id());
        }
    }

    /** A priced window: the seconds that count, the discount level and the amount to charge. */
    private record Charge(long liveSeconds, int percentPaid, long charged) {}

    private static Charge charge(WorkingState s, Contract c, long from, long to) {
        long live = liveSeconds(s, c, from, to);
        Node node = c.nodeId() == 0 ? null : s.nodes.get(c.nodeId());
        long nu = c.kind() instanceof NodeContract n ? n.unbilledNuBytes() : 0;
        long amount = Pricing.amount(c, node, policyOf(s, node), live, to - from, nu);
        int percent = Pricing.percentPaid(s.params.discountLevels(), s.balance(payer(s, c)), amount, to - from);
        return new Charge(live, percent, Pricing.percentOf(amount, percent));
    }

    private static long liveSeconds(WorkingState s, Contract c, long from, long to) {
        return c.nodeId() == 0 ? to - from
                : Pricing.liveSeconds(s.nodes.get(c.nodeId()), from, to, s.params.uptimeWindowSeconds());
    }

    /** The bill was charged up to {@code to}: move the mark and clear the traffic it included. */
    private static Contract reset(Contract c, long to) {
        Contract moved = c.billedTo(to);
        return c.kind() instanceof NodeContract n ? moved.withKind(n.withUsage(n.used(), 0)) : moved;
    }

    private static void pay(WorkingState s, Contract c, long amount, List<Event> events) {
        s.debit(payer(s, c), amount);
        long farmerShare = 0;
        if (c.nodeId() != 0) {
            Farm farm = s.farms.get(s.nodes.get(c.nodeId()).farmId());
            farmerShare = Pricing.percentOf(amount, s.params.farmerSharePercent());
            s.credit(s.accountOfTwin(farm.ownerTwin()), farmerShare);
        }
        long burned = amount - farmerShare;
        if (burned > 0) {
            s.burned = Math.addExact(s.burned, burned);
            events.add(new Event.Burned(c.id(), burned));
        }
    }

    private static Ed25519PublicKey payer(WorkingState s, Contract c) {
        return s.accountOfTwin(c.twinId());
    }

    /** Name contracts are not sold by a farm; they use policy 1, which genesis guarantees exists. */
    static PricingPolicy policyOf(WorkingState s, Node node) {
        long id = node == null ? 1 : s.farms.get(node.farmId()).pricingPolicyId();
        return s.pricingPolicies.get(id);
    }
}
