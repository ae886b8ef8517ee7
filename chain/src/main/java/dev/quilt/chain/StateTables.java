package dev.quilt.chain;

import dev.quilt.common.codec.CanonicalReader;
import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.crypto.Ed25519PublicKey;

/**
 * The state's tables and single entries: which {@link StateKeys} tag each uses and how its values
 * are encoded (the {@link StateCodec} layouts). A key of a table is its tag, then the id (int64)
 * or account key (32 bytes), as {@link StateKeys} builds it.
 */
final class StateTables {
    private StateTables() {}

    static final Table.Spec<Long, PricingPolicy> POLICIES =
            Table.byId(StateKeys.POLICY, ValueCodecs::pricingPolicy, ValueCodecs::pricingPolicy);
    static final Table.Spec<Ed25519PublicKey, Account> ACCOUNTS =
            Table.byKey(StateKeys.ACCOUNT, StateCodec::account, StateTables::account);
    static final Table.Spec<Long, Twin> TWINS = Table.byId(StateKeys.TWIN, StateCodec::twin, StateCodec::twin);
    static final Table.Spec<Long, Farm> FARMS = Table.byId(StateKeys.FARM, StateCodec::farm, StateCodec::farm);
    static final Table.Spec<Long, Node> NODES = Table.byId(StateKeys.NODE, StateCodec::node, StateCodec::node);
    static final Table.Spec<Long, Contract> CONTRACTS =
            Table.byId(StateKeys.CONTRACT, StateCodec::contract, StateCodec::contract);
    static final Table.Spec<Long, Proposal> PROPOSALS =
            Table.byId(StateKeys.PROPOSAL, StateCodec::proposal, StateCodec::proposal);

    static final Table.Spec<String, Snapshot> SNAPSHOTS = new Table.Spec<>(StateKeys.SNAPSHOT,
            (w, name) -> w.string(name, Snapshot.MAX_NAME), r -> r.string("name", Snapshot.MAX_NAME),
            StateCodec::snapshot, StateCodec::snapshot);

    private static Account account(CanonicalReader in) {
        return new Account(in.nonNegative("account.balance"), in.nonNegative("account.nonce"));
    }

    static byte[] params(ChainParameters params) {
        CanonicalWriter out = new CanonicalWriter();
        StateCodec.params(out, params);
        return out.toByteArray();
    }

    static ChainParameters params(byte[] bytes) {
        CanonicalReader in = new CanonicalReader(bytes);
        ChainParameters p = StateCodec.params(in);
        in.end();
        return p;
    }

    /** The supply entry: minted, burned, then the start of the reward period. */
    static byte[] supply(Supply supply, long rewardPeriodStart) {
        CanonicalWriter out = new CanonicalWriter();
        StateCodec.supply(out, supply, rewardPeriodStart);
        return out.toByteArray();
    }

    record SupplyEntry(Supply supply, long rewardPeriodStart) {}

    static SupplyEntry supply(byte[] bytes) {
        CanonicalReader in = new CanonicalReader(bytes);
        SupplyEntry s = new SupplyEntry(new Supply(in.nonNegative("minted"), in.nonNegative("burned")),
                in.nonNegative("rewardPeriodStart"));
        in.end();
        return s;
    }
}
