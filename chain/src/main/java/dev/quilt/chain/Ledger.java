package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The grid ledger as a pure function: {@code apply(state, transaction, block) → (state, outcome)}
 * and {@code endBlock(state, block) → (state, events)}.
 *
 * <h2>Determinism</h2>
 * No clock, randomness, I/O or floating point: time and height come from {@link BlockContext},
 * iteration is over sorted maps, and all arithmetic is on integers (rounding rules in
 * {@link Pricing}). The same state and inputs give the same output on every validator.
 *
 * <h2>Refusals and the nonce rule</h2>
 * Nothing a sender can cause throws; it yields {@link Outcome.Refused} with a reason. Envelope
 * refusals (bad signature, wrong chain, wrong nonce, expired) leave the state untouched: the
 * signer is not proven, or the nonce is not theirs to use. A signed, in-order, unexpired
 * transaction whose payload is refused (insufficient balance, no capacity, ...) still consumes its
 * nonce and changes nothing else: the exact signed bytes can then never succeed later, when the
 * condition that refused them has changed. Nonces are per sender, start at 0 and must be used in
 * order, so a replayed transaction is always refused.
 */
public final class Ledger {
    private Ledger() {}

    /** A new state and what happened to the transaction. */
    public record Transition(LedgerState state, Outcome outcome) {}

    /** A new state and the events of the block's end (bills, grace transitions, rewards, closed proposals). */
    public record BlockEnd(LedgerState state, List<Event> events) {}

    public static Transition apply(LedgerState state, SignedTransaction tx, BlockContext block) {
        return apply(state, CheckedTransaction.verify(tx, state.params.chainId()), block);
    }

    /** As {@link #apply(LedgerState, SignedTransaction, BlockContext)}, with the signature already checked. */
    static Transition apply(LedgerState state, CheckedTransaction checked, BlockContext block) {
        SignedTransaction tx = checked.transaction();
        if (!checked.verifiesFor(state.params.chainId())) {
            return new Transition(state, Outcome.refused("bad signature for chain " + state.params.chainId()));
        }
        long expected = state.account(tx.sender()).nonce();
        if (tx.nonce() != expected) {
            return new Transition(state, Outcome.refused("wrong nonce: expected " + expected + ", got " + tx.nonce()));
        }
        if (block.height() > tx.expiresAtHeight()) {
            return new Transition(state, Outcome.refused(
                    "expired: valid until height " + tx.expiresAtHeight() + ", block is " + block.height()));
        }
        WorkingState working = state.edit();
        working.bumpNonce(tx.sender());
        Outcome outcome = dispatch(working, tx.sender(), tx.payload(), block);
        if (outcome instanceof Outcome.Refused) {
            WorkingState nonceOnly = state.edit();
            nonceOnly.bumpNonce(tx.sender());
            return new Transition(nonceOnly.freeze(), outcome);
        }
        return new Transition(working.freeze(), outcome);
    }

    /**
     * Runs the block-boundary work, in this order: bill contracts whose period is due, resolve
     * grace periods (resume the paid, delete the expired), pay farmer rewards for finished
     * periods, close proposals whose deadline passed.
     */
    public static BlockEnd endBlock(LedgerState state, BlockContext block) {
        WorkingState working = state.edit();
        List<Event> events = new ArrayList<>();
        BillingCycle.billDue(working, block, events);
        BillingCycle.resolveGracePeriods(working, block, events);
        Rewards.payFinishedPeriods(working, block, events);
        GovernanceRules.closeDue(working, block, events);
        return new BlockEnd(working.freeze(), List.copyOf(events));
    }

    private static Outcome dispatch(WorkingState s, Ed25519PublicKey sender, Transaction tx, BlockContext block) {
        return switch (tx) {
            case Transaction.Transfer t -> AccountRules.transfer(s, sender, t);
            case Transaction.Faucet f -> AccountRules.faucet(s, sender, f);
            case Transaction.CreateTwin c -> RegistryRules.createTwin(s, sender, c);
            case Transaction.UpdateTwin u -> RegistryRules.updateTwin(s, sender, u);
            case Transaction.CreateFarm c -> RegistryRules.createFarm(s, sender, c);
            case Transaction.SetFarmPricing p -> RegistryRules.setFarmPricing(s, sender, p);
            case Transaction.AddFarmIp a -> RegistryRules.addFarmIp(s, sender, a);
            case Transaction.RegisterNode r -> RegistryRules.registerNode(s, sender, r, block);
            case Transaction.UpdateNode u -> RegistryRules.updateNode(s, sender, u);
            case Transaction.CreateNodeContract c -> ContractRules.createNodeContract(s, sender, c, block);
            case Transaction.UpdateNodeContract u -> ContractRules.updateNodeContract(s, sender, u);
            case Transaction.CancelContract c -> ContractRules.cancel(s, sender, c, block);
            case Transaction.CreateNameContract n -> ContractRules.createNameContract(s, sender, n, block);
            case Transaction.CreateRentContract r -> ContractRules.createRentContract(s, sender, r, block);
            case Transaction.ReportUsage r -> ContractRules.reportUsage(s, sender, r);
            case Transaction.AttestUptime a -> UptimeRules.attest(s, sender, a, block);
            case Transaction.Propose p -> GovernanceRules.propose(s, sender, p, block);
            case Transaction.Vote v -> GovernanceRules.vote(s, sender, v, block);
            case Transaction.PublishSnapshot p -> SnapshotRules.publish(s, sender, p, block);
        };
    }
}
