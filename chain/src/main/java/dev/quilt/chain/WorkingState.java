package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A private, mutable copy of a {@link LedgerState} that one transaction or one block end edits;
 * {@link #freeze()} turns it back into a state. Not thread-safe: confined to the call of
 * {@link Ledger} that made it. A refused transaction's copy is simply dropped, so rules may
 * refuse after they started editing.
 */
final class WorkingState {
    ChainParameters params;
    final TreeMap<Long, PricingPolicy> pricingPolicies;
    final TreeMap<Ed25519PublicKey, Account> accounts;
    final TreeMap<Long, Twin> twins;
    final TreeMap<Long, Farm> farms;
    final TreeMap<Long, Node> nodes;
    final TreeMap<Long, Contract> contracts;
    final TreeMap<Long, Proposal> proposals;
    long minted;
    long burned;
    long rewardPeriodStart;

    WorkingState(LedgerState s) {
        params = s.params;
        pricingPolicies = new TreeMap<>(s.pricingPolicies);
        accounts = new TreeMap<>(s.accounts);
        twins = new TreeMap<>(s.twins);
        farms = new TreeMap<>(s.farms);
        nodes = new TreeMap<>(s.nodes);
        contracts = new TreeMap<>(s.contracts);
        proposals = new TreeMap<>(s.proposals);
        minted = s.supply.minted();
        burned = s.supply.burned();
        rewardPeriodStart = s.rewardPeriodStart;
    }

    LedgerState freeze() {
        return new LedgerState(params, pricingPolicies, accounts, twins, farms, nodes, contracts, proposals,
                new Supply(minted, burned), rewardPeriodStart);
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

    /** Ids are sequential from 1 and never reused: entries are never removed, only marked. */
    static long nextId(TreeMap<Long, ?> map) {
        return map.isEmpty() ? 1 : map.lastKey() + 1;
    }

    /** The live contracts, in id order. */
    List<Contract> liveContracts() {
        return contracts.values().stream().filter(c -> c.state().isLive()).toList();
    }
}
