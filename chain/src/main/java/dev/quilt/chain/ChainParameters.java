package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519PublicKey;
import java.util.List;

/**
 * The ledger's tunables. Governance can change the billing period, the grace period and the
 * validator set; the others are fixed at genesis.
 *
 * @param chainId signed into every transaction, so a signature is good on one chain only
 * @param billingPeriodSeconds a contract is billed once this much block time has passed since its last bill
 * @param gracePeriodSeconds how long a contract that cannot be paid stays paused before it is deleted
 * @param uptimeWindowSeconds the unit of liveness: an attestation marks its window live; billing and
 *        rewards count whole windows. The reward period is a multiple of it
 * @param challengeDeadlineBlocks an uptime attestation must answer a certified block at most this many blocks old
 * @param rewardPeriodSeconds farmer rewards are computed per period of this length
 * @param minUptimePermille the attested share of a period (in ‰) a node needs to be rewarded
 * @param rewardPerWeightPerPeriod units minted per unit of node weight for a full period of uptime
 * @param farmerSharePercent share of each paid bill credited to the farm owner; the rest is burned
 * @param faucetLimit the most one faucet transaction may mint; 0 disables the faucet (any non-devnet chain)
 * @param maxProposalSeconds the longest a proposal may stay open
 * @param discountLevels ordered from the largest discount (most months covered) down
 * @param validators the council and, later, the header signers; sorted, non-empty
 */
public record ChainParameters(
        String chainId,
        long billingPeriodSeconds,
        long gracePeriodSeconds,
        long uptimeWindowSeconds,
        long challengeDeadlineBlocks,
        long rewardPeriodSeconds,
        int minUptimePermille,
        long rewardPerWeightPerPeriod,
        int farmerSharePercent,
        long faucetLimit,
        long maxProposalSeconds,
        List<DiscountLevel> discountLevels,
        List<Ed25519PublicKey> validators) {

    public static final int MAX_CHAIN_ID = 64;
    public static final int MAX_DISCOUNT_LEVELS = 8;
    public static final int MAX_VALIDATORS = 128;

    public ChainParameters {
        discountLevels = List.copyOf(discountLevels);
        validators = validators.stream().sorted().distinct().toList();
        if (chainId.isEmpty() || chainId.length() > MAX_CHAIN_ID) {
            throw new IllegalArgumentException("chain id must be 1.." + MAX_CHAIN_ID + " characters");
        }
        if (billingPeriodSeconds <= 0 || gracePeriodSeconds <= 0 || uptimeWindowSeconds <= 0
                || challengeDeadlineBlocks <= 0 || maxProposalSeconds <= 0) {
            throw new IllegalArgumentException("periods must be positive");
        }
        if (rewardPeriodSeconds <= 0 || rewardPeriodSeconds % uptimeWindowSeconds != 0) {
            throw new IllegalArgumentException("reward period must be a positive multiple of the uptime window");
        }
        if (minUptimePermille < 0 || minUptimePermille > 1000 || farmerSharePercent < 0 || farmerSharePercent > 100) {
            throw new IllegalArgumentException("permille/percent out of range");
        }
        if (rewardPerWeightPerPeriod < 0 || faucetLimit < 0) {
            throw new IllegalArgumentException("reward and faucet limit must be non-negative");
        }
        for (int i = 1; i < discountLevels.size(); i++) {
            if (discountLevels.get(i).monthsTenths() >= discountLevels.get(i - 1).monthsTenths()) {
                throw new IllegalArgumentException("discount levels must be ordered by months covered, descending");
            }
        }
        if (validators.isEmpty() || validators.size() > MAX_VALIDATORS) {
            throw new IllegalArgumentException("validator set must have 1.." + MAX_VALIDATORS + " members");
        }
    }

    /** tfchain's levels (after its ADR 0008): 18, 6, 3 and 1.5 months covered pay 40, 60, 70 and 80 %. */
    public static List<DiscountLevel> referenceDiscounts() {
        return List.of(new DiscountLevel("gold", 180, 40), new DiscountLevel("silver", 60, 60),
                new DiscountLevel("bronze", 30, 70), new DiscountLevel("default", 15, 80));
    }

    public boolean isValidator(Ed25519PublicKey key) {
        return validators.contains(key);
    }

    ChainParameters withBillingPeriod(long seconds) {
        return new ChainParameters(chainId, seconds, gracePeriodSeconds, uptimeWindowSeconds, challengeDeadlineBlocks,
                rewardPeriodSeconds, minUptimePermille, rewardPerWeightPerPeriod, farmerSharePercent, faucetLimit,
                maxProposalSeconds, discountLevels, validators);
    }

    ChainParameters withGracePeriod(long seconds) {
        return new ChainParameters(chainId, billingPeriodSeconds, seconds, uptimeWindowSeconds, challengeDeadlineBlocks,
                rewardPeriodSeconds, minUptimePermille, rewardPerWeightPerPeriod, farmerSharePercent, faucetLimit,
                maxProposalSeconds, discountLevels, validators);
    }

    ChainParameters withValidators(List<Ed25519PublicKey> keys) {
        return new ChainParameters(chainId, billingPeriodSeconds, gracePeriodSeconds, uptimeWindowSeconds,
                challengeDeadlineBlocks, rewardPeriodSeconds, minUptimePermille, rewardPerWeightPerPeriod,
                farmerSharePercent, faucetLimit, maxProposalSeconds, discountLevels, keys);
    }
}
