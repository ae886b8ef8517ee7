package dev.quilt.chain;

import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;

/**
 * The validators that certify headers, sorted by key, each with one vote.
 *
 * <h2>Quorum</h2>
 * With n validators of which up to f = ⌊(n−1)/3⌋ may lie, a header is final when more than
 * (n + f)/2 of them signed it. Two such quorums overlap in more than f validators, so at least one
 * honest validator would have signed both of two conflicting headers at one height, which an
 * honest validator never does ({@link HeaderSigner}). n = 1 → 1, n = 3 → 2, n = 4 → 3, n = 7 → 5.
 */
public record ValidatorSet(List<Ed25519PublicKey> validators) {
    private static final byte[] DOMAIN = "quilt/validators/v1".getBytes(StandardCharsets.US_ASCII);

    public ValidatorSet {
        TreeSet<Ed25519PublicKey> sorted = new TreeSet<>(validators);
        if (sorted.isEmpty() || sorted.size() != validators.size()) {
            throw new IllegalArgumentException("validators: " + validators.size() + " keys, " + sorted.size()
                    + " distinct (expected: at least one, no duplicates)");
        }
        validators = List.copyOf(sorted);
    }

    public static ValidatorSet of(ChainParameters params) {
        return new ValidatorSet(params.validators());
    }

    public int size() {
        return validators.size();
    }

    /** The most validators that may lie: ⌊(n−1)/3⌋. */
    public int maxFaulty() {
        return (size() - 1) / 3;
    }

    /** The fewest signers that make a header final: the least integer above (n + f)/2. */
    public int quorum() {
        return (size() + maxFaulty()) / 2 + 1;
    }

    public boolean contains(Ed25519PublicKey key) {
        return validators.contains(key);
    }

    /**
     * True when {@code verified}, signatures already checked against one header (as a store keeps
     * them), come from a quorum of distinct members. Nothing is verified here: untrusted
     * signatures go through {@link CertifiedHeader#isFinal} instead.
     */
    boolean isQuorumOfVerified(List<HeaderSignature> verified) {
        return verified.stream().map(HeaderSignature::validator).filter(this::contains).distinct().count() >= quorum();
    }

    /** SHA-256 over the domain tag and the sorted keys; what headers commit to. */
    public Hash256 hash() {
        CanonicalWriter out = new CanonicalWriter();
        out.list(validators, ChainParameters.MAX_VALIDATORS, ValueCodecs::key);
        return Sha256.digest(DOMAIN, out.toByteArray());
    }
}
