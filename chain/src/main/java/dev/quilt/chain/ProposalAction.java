package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519PublicKey;
import java.util.List;

/** What an approved proposal changes. */
public sealed interface ProposalAction {

    /** Adds a pricing policy, or replaces the one with the same id. */
    record SetPricingPolicy(PricingPolicy policy) implements ProposalAction {}

    record SetBillingPeriod(long seconds) implements ProposalAction {}

    record SetGracePeriod(long seconds) implements ProposalAction {}

    /** Replaces the validator set, which is also the council. */
    record SetValidators(List<Ed25519PublicKey> validators) implements ProposalAction {
        public SetValidators {
            validators = validators.stream().sorted().distinct().toList();
        }
    }
}
