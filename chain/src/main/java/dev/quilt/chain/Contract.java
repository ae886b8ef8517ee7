package dev.quilt.chain;

/**
 * A twin's contract.
 *
 * @param billedUntil block time up to which it has been billed (or charged into its grace debt)
 */
public record Contract(long id, long twinId, ContractKind kind, ContractState state, long createdAt, long billedUntil) {

    /** Decodes a contract's state entry, as proven under a state root ({@link StateKeys#contract}). */
    public static Contract decodeEntry(byte[] bytes) {
        dev.quilt.common.codec.CanonicalReader in = new dev.quilt.common.codec.CanonicalReader(bytes);
        Contract c = StateCodec.contract(in);
        in.end();
        return c;
    }

    Contract withState(ContractState s) {
        return new Contract(id, twinId, kind, s, createdAt, billedUntil);
    }

    Contract withKind(ContractKind k) {
        return new Contract(id, twinId, k, state, createdAt, billedUntil);
    }

    Contract billedTo(long time) {
        return new Contract(id, twinId, kind, state, createdAt, time);
    }

    /** The node this contract runs on, or 0 for a name contract. */
    public long nodeId() {
        return switch (kind) {
            case ContractKind.NodeContract n -> n.nodeId();
            case ContractKind.RentContract r -> r.nodeId();
            case ContractKind.NameContract n -> 0;
        };
    }
}
