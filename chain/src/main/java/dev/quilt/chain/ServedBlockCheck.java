package dev.quilt.chain;

import dev.quilt.common.crypto.Hash256;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Checks a block served by an untrusted API before a follower applies it: the header must carry a
 * quorum of the validators in force, the transactions must rebuild exactly that header (the same
 * transactions root, and the same state root once applied with the same pure {@link Ledger}), and
 * the {@link LightClient} must accept it as the next final header. Only then is the rebuilt block,
 * never the served one, kept.
 *
 * <p>Not thread-safe: confined to the follower's thread.
 */
final class ServedBlockCheck {

    /** The served block was not applied; the message names the failed check. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** What passed: the rebuilt block, the state after it, and the valid signatures of its header. */
    record Checked(BlockProducer.Produced produced, List<HeaderSignature> signatures, NavigableMap<Long, Hash256> challenges) {}

    private final LightClient light;

    /** Trusts {@code head}, a header this follower accepted before, and the validators in force after it. */
    ServedBlockCheck(BlockHeader head, ValidatorSet validators) {
        this.light = new LightClient(head, validators);
    }

    /**
     * @param state the state after the last accepted header
     * @param acceptedHeader the header this follower holds at a height, for the block's challenges
     */
    Checked check(LedgerState state, ChainClient.ServedBlock served, LongFunction<Optional<BlockHeader>> acceptedHeader)
            throws Refused {
        BlockHeader header = served.certified().header();
        BlockHeader previous = light.latest();
        long height = header.height();
        if (height != previous.height() + 1) {
            throw new Refused("block " + height + ": height (expected: " + (previous.height() + 1) + ")");
        }
        ValidatorSet validators = light.validators();
        int signers = served.certified().validSigners(validators);
        if (signers < validators.quorum()) {
            throw new Refused("block " + height + ": too few valid signatures: " + signers + " of " + validators.size()
                    + " validators (expected: >= " + validators.quorum() + ")");
        }
        for (Map.Entry<Long, Hash256> c : served.challenges().entrySet()) {
            Optional<Hash256> known = acceptedHeader.apply(c.getKey()).map(BlockHeader::hash);
            if (known.isEmpty() || c.getKey() >= height || !known.get().equals(c.getValue())) {
                throw new Refused("block " + height + ": challenge block " + c.getKey() + " hash " + c.getValue()
                        + " is not the accepted header's " + known.map(Hash256::toString).orElse("(none)"));
            }
        }
        BlockProducer.Produced rebuilt = BlockProducer.next(state, previous, served.transactions(), header.time(),
                served.challenges());
        String mismatch = firstDifference(rebuilt.block().header(), header);
        if (mismatch != null) {
            throw new Refused("block " + height + " does not match its certified header: " + mismatch);
        }
        LightClient.Verdict verdict = light.offer(served.certified(), Optional.of(ValidatorSet.of(rebuilt.state().params())));
        if (verdict instanceof LightClient.Verdict.Refused r) {
            throw new Refused("block " + height + ": " + r.reason());
        }
        List<HeaderSignature> valid = served.certified().signatures().stream()
                .filter(s -> validators.contains(s.validator()) && s.verifies(header)).distinct().toList();
        return new Checked(rebuilt, valid, served.challenges());
    }

    /** The first header field where the rebuilt block differs from the certified one, or null. */
    private static String firstDifference(BlockHeader rebuilt, BlockHeader certified) {
        if (!rebuilt.transactionsRoot().equals(certified.transactionsRoot())) {
            return "transactions root " + rebuilt.transactionsRoot() + " (rebuilt from the served transactions) ≠ "
                    + certified.transactionsRoot() + " (certified)";
        }
        if (!rebuilt.stateRoot().equals(certified.stateRoot())) {
            return "state root " + rebuilt.stateRoot() + " (after applying the served transactions) ≠ "
                    + certified.stateRoot() + " (certified)";
        }
        if (!rebuilt.equals(certified)) {
            return "header " + rebuilt + " (rebuilt) ≠ " + certified + " (certified)";
        }
        return null;
    }
}
