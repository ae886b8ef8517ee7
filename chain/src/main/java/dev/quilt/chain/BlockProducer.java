package dev.quilt.chain;

import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;

/**
 * Turns a batch of ordered transactions into the next block, as a pure function: every replica
 * that applies the same batch with the same cut time to the same state gets the same block and
 * state, byte for byte.
 *
 * <p>The block's time is the cut's time, taken from the leader's log entry, but never earlier than
 * the previous block's (a new leader's clock may be behind the old one's). Transactions are applied
 * in order with {@link Ledger#apply}, then {@link Ledger#endBlock}; the header commits to the
 * transaction hashes, the resulting state root, the validator set that certifies it and the one
 * in force after it.
 */
public final class BlockProducer {
    private BlockProducer() {}

    /** A block and the state after it. */
    public record Produced(Block block, LedgerState state) {}

    /** The header of height 0: no transactions, the genesis state, the genesis validators. */
    public static BlockHeader genesisHeader(LedgerState genesis, long time) {
        Hash256 validators = ValidatorSet.of(genesis.params()).hash();
        return new BlockHeader(genesis.params().chainId(), 0, time, Hash256.ZERO, Hash256.ZERO, genesis.stateRoot(),
                validators, validators);
    }

    /**
     * @param recentCertified hashes of recent final blocks by height, for uptime challenges
     */
    public static Produced next(LedgerState state, BlockHeader previous, List<SignedTransaction> transactions,
                                long cutTime, NavigableMap<Long, Hash256> recentCertified) {
        String chainId = state.params().chainId();
        return nextChecked(state, previous, transactions.stream().map(tx -> CheckedTransaction.verify(tx, chainId)).toList(),
                cutTime, recentCertified);
    }

    /** As {@link #next}, for transactions whose signatures were checked as they reached the log. */
    static Produced nextChecked(LedgerState state, BlockHeader previous, List<CheckedTransaction> checked,
                                long cutTime, NavigableMap<Long, Hash256> recentCertified) {
        List<SignedTransaction> transactions = checked.stream().map(CheckedTransaction::transaction).toList();
        long height = previous.height() + 1;
        BlockContext context = new BlockContext(height, Math.max(cutTime, previous.time()), recentCertified);
        Hash256 validators = ValidatorSet.of(state.params()).hash();
        List<Outcome> outcomes = new ArrayList<>(transactions.size());
        List<Hash256> hashes = new ArrayList<>(transactions.size());
        LedgerState current = state;
        for (CheckedTransaction c : checked) {
            Ledger.Transition t = Ledger.apply(current, c, context);
            current = t.state();
            outcomes.add(t.outcome());
            hashes.add(hashOf(c.transaction()));
        }
        Ledger.BlockEnd end = Ledger.endBlock(current, context);
        BlockHeader header = new BlockHeader(previous.chainId(), height, context.time(), previous.hash(),
                TransactionsRoot.of(hashes), end.state().stateRoot(), validators,
                ValidatorSet.of(end.state().params()).hash());
        return new Produced(new Block(header, transactions, outcomes, end.events()), end.state());
    }

    /** A transaction's identity: SHA-256 of its signed canonical encoding. */
    public static Hash256 hashOf(SignedTransaction tx) {
        return Sha256.digest(tx.encode());
    }
}
