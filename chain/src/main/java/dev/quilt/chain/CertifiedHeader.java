package dev.quilt.chain;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A header with the validators' signatures collected for it. Final when {@link #isFinal} says so. */
public record CertifiedHeader(BlockHeader header, List<HeaderSignature> signatures) {

    public CertifiedHeader {
        signatures = List.copyOf(signatures);
    }

    /** The distinct members of {@code validators} whose signature over the header verifies. */
    public int validSigners(ValidatorSet validators) {
        Set<dev.quilt.common.crypto.Ed25519PublicKey> signers = new HashSet<>();
        for (HeaderSignature s : signatures) {
            if (validators.contains(s.validator()) && s.verifies(header)) {
                signers.add(s.validator());
            }
        }
        return signers.size();
    }

    /** True when more than (n + f)/2 of {@code validators} signed this header ({@link ValidatorSet#quorum()}). */
    public boolean isFinal(ValidatorSet validators) {
        return validSigners(validators) >= validators.quorum();
    }
}
