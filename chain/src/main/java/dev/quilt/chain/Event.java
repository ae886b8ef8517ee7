package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519PublicKey;

/**
 * What changed, for followers: nodes pause, resume and remove workloads on contract events; an
 * indexer builds its views from them. Every contract state transition has one.
 */
public sealed interface Event {

    record Transferred(Ed25519PublicKey from, Ed25519PublicKey to, long amount) implements Event {}

    record Minted(Ed25519PublicKey to, long amount, String why) implements Event {}

    record TwinCreated(long twinId, Ed25519PublicKey account) implements Event {}

    record TwinUpdated(long twinId) implements Event {}

    record FarmCreated(long farmId, String name, long ownerTwin) implements Event {}

    record FarmUpdated(long farmId) implements Event {}

    record NodeRegistered(long nodeId, long farmId, long twinId) implements Event {}

    record NodeUpdated(long nodeId) implements Event {}

    record ContractCreated(long contractId, long twinId, long nodeId) implements Event {}

    record ContractUpdated(long contractId) implements Event {}

    record UsageReported(long contractId) implements Event {}

    /**
     * A bill: {@code from..to} block time, of which {@code liveSeconds} the node attested liveness,
     * {@code percentPaid} the discount level applied, {@code amount} what was charged.
     */
    record ContractBilled(long contractId, long from, long to, long liveSeconds, int percentPaid, long amount)
            implements Event {}

    /** The amount burned from a bill (the part not credited to the farmer). */
    record Burned(long contractId, long amount) implements Event {}

    /** The twin could not pay {@code unpaid}: nodes pause the contract's workloads and keep their data. */
    record GracePeriodStarted(long contractId, long nodeId, long twinId, long unpaid) implements Event {}

    /** The debt was paid: nodes resume the workloads. */
    record GracePeriodEnded(long contractId, long nodeId, long paid) implements Event {}

    /** Nodes remove the workloads and free the capacity. */
    record ContractDeleted(long contractId, long nodeId, ContractState.DeletionReason reason) implements Event {}

    record UptimeAttested(long nodeId, long window) implements Event {}

    /** A reward receipt: the node's attested uptime in {@code periodStart..periodEnd} and what its farm owner was paid. */
    record FarmerRewarded(long nodeId, long farmId, long periodStart, long periodEnd, int uptimePermille, long amount)
            implements Event {}

    /** A receipt for no reward: uptime below the minimum. */
    record RewardWithheld(long nodeId, long periodStart, long periodEnd, int uptimePermille) implements Event {}

    /** Version {@code version} of snapshot {@code name} was published by twin {@code publisherTwin}. */
    record SnapshotPublished(String name, long publisherTwin, long version, dev.quilt.common.crypto.Hash256 manifestHash,
                             long sizeBytes) implements Event {}

    record ProposalOpened(long proposalId) implements Event {}

    record VoteCast(long proposalId, Ed25519PublicKey voter, boolean approve, long weight) implements Event {}

    record ProposalClosed(long proposalId, boolean approved, String tally) implements Event {}
}
