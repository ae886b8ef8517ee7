package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519PublicKey;
import java.util.List;
import java.util.Optional;

/**
 * A journal over a {@link LedgerState} that one transaction or one block end edits;
 * {@link #freeze()} turns it into the next state. Reads see the journal's writes first, then the
 * state's entries; nothing is copied. A refused transaction's journal is simply dropped, so rules
 * may refuse after they started editing.
 *
 * <p>Not thread-safe: confined to the call of {@link Ledger} that made it.
 */
final class WorkingState {
    private final LedgerState origin;
    private final EntryOverlay journal;
    ChainParameters params;
    final Table<Long, PricingPolicy> pricingPolicies;
    final Table<Ed25519PublicKey, Account> accounts;
    final Table<Long, Twin> twins;
    final Table<Long, Farm> farms;
    final Table<Long, Node> nodes;
    final Table<Long, Contract> contracts;
    final Table<Long, Proposal> proposals;
    final Table<String, Snapshot> snapshots;
    long minted;
    long burned;
    long rewardPeriodStart;

    WorkingState(LedgerState s) {
        origin = s;
        journal = new EntryOverlay(s.entries());
        params = s.params;
        pricingPolicies = new Table<>(journal, StateTables.POLICIES);
        accounts = new Table<>(journal, StateTables.ACCOUNTS);
        twins = new Table<>(journal, StateTables.TWINS);
        farms = new Table<>(journal, StateTables.FARMS);
        nodes = new Table<>(journal, StateTables.NODES);
        contracts = new Table<>(journal, StateTables.CONTRACTS);
        proposals = new Table<>(journal, StateTables.PROPOSALS);
        snapshots = new Table<>(journal, StateTables.SNAPSHOTS);
        minted = s.supply.minted();
        burned = s.supply.burned();
        rewardPeriodStart = s.rewardPeriodStart;
    }

    LedgerState freeze() {
        if (!params.equals(origin.params)) {
            journal.put(StateKeys.params(), StateTables.params(params));
        }
        Supply supply = new Supply(minted, burned);
        if (!supply.equals(origin.supply) || rewardPeriodStart != origin.rewardPeriodStart) {
            journal.put(StateKeys.supply(), StateTables.supply(supply, rewardPeriodStart));
        }
        return origin.after(journal);
    }

    Account account(Ed25519PublicKey key) {
        return accounts.getOrDefault(key, Account.EMPTY);
    }

    long balance(Ed25519PublicKey key) {
        return account(key).balance();
    }

    void bumpNonce(Ed25519PublicKey key) {
        accounts.put(key, account(key).nextNonce());
    }

    void credit(Ed25519PublicKey key, long amount) {
        accounts.put(key, account(key).withBalance(Math.addExact(balance(key), amount)));
    }

    /** Callers check the balance first; a negative balance here is a bug, and Account refuses it. */
    void debit(Ed25519PublicKey key, long amount) {
        accounts.put(key, account(key).withBalance(balance(key) - amount));
    }

    void mint(Ed25519PublicKey key, long amount) {
        minted = Math.addExact(minted, amount);
        credit(key, amount);
    }

    Optional<Twin> twinOf(Ed25519PublicKey key) {
        return twins.values().stream().filter(t -> t.account().equals(key)).findFirst();
    }

    Ed25519PublicKey accountOfTwin(long twinId) {
        return twins.get(twinId).account();
    }

    /** The live contracts, in id order. */
    List<Contract> liveContracts() {
        return contracts.values().stream().filter(c -> c.state().isLive()).toList();
    }
}
