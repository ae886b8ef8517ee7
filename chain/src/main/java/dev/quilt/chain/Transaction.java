package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.common.crypto.Hash256;
import java.util.Optional;

/**
 * The payload of a signed transaction: one state change requested by the signer. The signer's
 * role (twin owner, farm owner, node, council member) is checked by the ledger, not here; these
 * records only hold the request. Each has a fixed one-byte tag in the canonical encoding
 * ({@link TransactionCodec}); tags are never reused.
 */
public sealed interface Transaction {

    /** Moves {@code amount} units from the signer to {@code to}. */
    record Transfer(Ed25519PublicKey to, long amount) implements Transaction {}

    /** Mints {@code amount} units to the signer; refused unless the chain was created with a faucet (devnet). */
    record Faucet(long amount) implements Transaction {}

    /** Makes the signer's key a twin. */
    record CreateTwin(Optional<String> endpoint) implements Transaction {}

    record UpdateTwin(Optional<String> endpoint) implements Transaction {}

    /** Creates a farm owned by the signer's twin, selling at pricing policy 1. */
    record CreateFarm(String name) implements Transaction {}

    /** The farm owner chooses one of the pricing policies governance has set. */
    record SetFarmPricing(long farmId, long pricingPolicyId) implements Transaction {}

    /** The farm owner adds a public IPv4 address (CIDR) and its gateway. */
    record AddFarmIp(long farmId, String ip, String gateway) implements Transaction {}

    /** A node registers itself, signed with its own twin's key, under a farm with its measured capacity. */
    record RegisterNode(long farmId, Resources capacity, Location location, String endpoint) implements Transaction {}

    /** The node updates its measurement, location or intake endpoint; capacity may not drop below what is reserved. */
    record UpdateNode(long nodeId, Resources capacity, Location location, String endpoint) implements Transaction {}

    /** Reserves {@code resources} and {@code publicIps} farm addresses on a node for a deployment document with this hash. */
    record CreateNodeContract(long nodeId, Hash256 deploymentHash, Resources resources, int publicIps)
            implements Transaction {}

    /** A new deployment document for the same contract, possibly with other resources (the IP count is fixed). */
    record UpdateNodeContract(long contractId, Hash256 deploymentHash, Resources resources) implements Transaction {}

    /** The owner ends any of its contracts; the elapsed time is billed first. */
    record CancelContract(long contractId) implements Transaction {}

    record CreateNameContract(String name) implements Transaction {}

    record CreateRentContract(long nodeId) implements Transaction {}

    /**
     * The node reports what a contract uses (replacing the last report) and the public traffic it
     * made since the last report.
     */
    record ReportUsage(long contractId, Resources used, long nuBytes) implements Transaction {}

    /**
     * The node proves it is live now: it signs (in this transaction) the hash of a recent certified
     * block, which did not exist before that block and expires after the challenge deadline.
     */
    record AttestUptime(long nodeId, long challengeHeight, Hash256 challengeHash) implements Transaction {}

    /** A council member opens a proposal that closes at block time + {@code durationSeconds}. */
    record Propose(ProposalAction action, int farmQuorum, long durationSeconds) implements Transaction {}

    /**
     * The signer's twin publishes a snapshot under {@code name}: the hash of its manifest and the
     * bytes it holds, and optionally the chain and height it was taken from. The first publisher
     * owns the name; its later publishes add versions.
     */
    record PublishSnapshot(String name, Hash256 manifestHash, long sizeBytes, Optional<String> sourceChain,
                           Optional<Long> sourceHeight) implements Transaction {}

    /** A council member (no farm) or a farm owner (for that farm) votes; a later vote replaces an earlier one. */
    record Vote(long proposalId, Optional<Long> farmId, boolean approve) implements Transaction {}
}
