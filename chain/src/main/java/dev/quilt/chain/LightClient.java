package dev.quilt.chain;

import dev.quilt.common.crypto.Hash256;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Follows the chain from a trusted genesis without trusting any server: it accepts a header only
 * when it links to the last accepted one and carries a quorum of valid signatures from the
 * validator set that header names, and it checks state entries (or their absence) against the
 * state root of an accepted header.
 *
 * <h2>Trust</h2>
 * The genesis header and its validator set are given, not checked. From there, each header must:
 * have the next height and the previous header's hash; name the current set's hash; carry more
 * than (n + f)/2 valid signatures of distinct members ({@link ValidatorSet#quorum()}); not go back
 * in time. A header that changes the set ({@code nextValidatorSetHash}) must come with the new
 * set, whose hash must match; the next header is then checked against it. A certified header that
 * conflicts with one already accepted at its height is reported: it proves that more than f
 * validators signed two headers at one height.
 *
 * <p>Not thread-safe; callers confine it to one thread or hold a lock.
 */
public final class LightClient {

    /** What came of offering a header. */
    public sealed interface Verdict {
        record Accepted(BlockHeader header) implements Verdict {}

        record Refused(String reason) implements Verdict {}
    }

    private final Map<Long, Hash256> accepted = new HashMap<>();
    private BlockHeader latest;
    private ValidatorSet validators;

    public LightClient(BlockHeader genesis, ValidatorSet genesisValidators) {
        if (!genesis.nextValidatorSetHash().equals(genesisValidators.hash())) {
            throw new IllegalArgumentException("genesis commits to validator set " + genesis.nextValidatorSetHash()
                    + ", given set hashes to " + genesisValidators.hash());
        }
        this.latest = genesis;
        this.validators = genesisValidators;
        accepted.put(genesis.height(), genesis.hash());
    }

    public BlockHeader latest() {
        return latest;
    }

    public ValidatorSet validators() {
        return validators;
    }

    /** Offers the next header; {@code nextValidators} is needed only when the header changes the set. */
    public Verdict offer(CertifiedHeader certified, Optional<ValidatorSet> nextValidators) {
        BlockHeader h = certified.header();
        Hash256 known = accepted.get(h.height());
        if (known != null) {
            return known.equals(h.hash())
                    ? new Verdict.Accepted(h)
                    : new Verdict.Refused("conflicting header at height " + h.height() + ": accepted " + known
                            + ", offered " + h.hash());
        }
        if (h.height() != latest.height() + 1) {
            return new Verdict.Refused("height: " + h.height() + " (expected: " + (latest.height() + 1) + ")");
        }
        if (!h.chainId().equals(latest.chainId())) {
            return new Verdict.Refused("chain: " + h.chainId() + " (expected: " + latest.chainId() + ")");
        }
        if (!h.previousHash().equals(latest.hash())) {
            return new Verdict.Refused("previous hash: " + h.previousHash() + " (expected: " + latest.hash() + ")");
        }
        if (h.time() < latest.time()) {
            return new Verdict.Refused("time: " + h.time() + " (expected: >= " + latest.time() + ")");
        }
        if (!h.validatorSetHash().equals(validators.hash())) {
            return new Verdict.Refused("validator set: " + h.validatorSetHash() + " (expected: " + validators.hash() + ")");
        }
        int signers = certified.validSigners(validators);
        if (signers < validators.quorum()) {
            return new Verdict.Refused("too few valid signatures: " + signers + " of " + validators.size()
                    + " validators (expected: >= " + validators.quorum() + ")");
        }
        ValidatorSet next = validators;
        if (!h.nextValidatorSetHash().equals(validators.hash())) {
            if (nextValidators.isEmpty() || !nextValidators.get().hash().equals(h.nextValidatorSetHash())) {
                return new Verdict.Refused("next validator set: header commits to " + h.nextValidatorSetHash()
                        + ", given " + nextValidators.map(v -> v.hash().toString()).orElse("none"));
            }
            next = nextValidators.get();
        }
        latest = h;
        validators = next;
        accepted.put(h.height(), h.hash());
        return new Verdict.Accepted(h);
    }

    /** True when {@code proof} shows that {@code key} maps to {@code value} in the state of an accepted header. */
    public boolean verifyEntry(BlockHeader header, byte[] key, byte[] value, MerkleProof proof) {
        return isAccepted(header) && proof.provesInclusion(header.stateRoot(), key, value);
    }

    /** True when {@code proof} shows that {@code key} has no entry in the state of an accepted header. */
    public boolean verifyAbsence(BlockHeader header, byte[] key, MerkleProof proof) {
        return isAccepted(header) && proof.provesAbsence(header.stateRoot(), key);
    }

    private boolean isAccepted(BlockHeader header) {
        return header.hash().equals(accepted.get(header.height()));
    }
}
