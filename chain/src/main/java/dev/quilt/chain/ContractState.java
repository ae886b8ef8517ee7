package dev.quilt.chain;

/**
 * Where a contract is in its life: {@code Created → (GracePeriod ⇄ Created) → Deleted}. Deleted
 * contracts stay in the state so followers can see why they ended.
 */
public sealed interface ContractState {

    /** Live and paid up. */
    record Created() implements ContractState {}

    /**
     * Its twin could not pay; the node pauses the workloads and keeps their data.
     *
     * @param since block time the grace period started
     * @param unpaid the amount due that paying resumes the contract with
     */
    record GracePeriod(long since, long unpaid) implements ContractState {}

    /** Ended; capacity and IPs are released. */
    record Deleted(DeletionReason reason) implements ContractState {}

    enum DeletionReason { CANCELED_BY_USER, OUT_OF_FUNDS }

    ContractState CREATED = new Created();

    default boolean isLive() {
        return !(this instanceof Deleted);
    }
}
