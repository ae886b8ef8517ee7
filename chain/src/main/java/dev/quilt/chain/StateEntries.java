package dev.quilt.chain;

import dev.quilt.common.codec.CanonicalWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The state as key → value entries for the state root: each key from {@link StateKeys}, each
 * value the entry's canonical encoding (the same field layout as {@link StateCodec}).
 */
final class StateEntries {
    private StateEntries() {}

    static Map<byte[], byte[]> of(LedgerState s) {
        Map<byte[], byte[]> entries = new HashMap<>();
        entries.put(StateKeys.params(), encode(s.params, StateCodec::params));
        entries.put(StateKeys.supply(), encode(s, StateCodec::supply));
        s.pricingPolicies.forEach((id, p) -> entries.put(StateKeys.pricingPolicy(id), encode(p, ValueCodecs::pricingPolicy)));
        s.accounts.forEach((key, a) -> entries.put(StateKeys.account(key), encode(a, StateCodec::account)));
        s.twins.forEach((id, t) -> entries.put(StateKeys.twin(id), encode(t, StateCodec::twin)));
        s.farms.forEach((id, f) -> entries.put(StateKeys.farm(id), encode(f, StateCodec::farm)));
        s.nodes.forEach((id, n) -> entries.put(StateKeys.node(id), encode(n, StateCodec::node)));
        s.contracts.forEach((id, c) -> entries.put(StateKeys.contract(id), encode(c, StateCodec::contract)));
        s.proposals.forEach((id, p) -> entries.put(StateKeys.proposal(id), encode(p, StateCodec::proposal)));
        return entries;
    }

    private static <T> byte[] encode(T value, BiConsumer<CanonicalWriter, T> writer) {
        CanonicalWriter out = new CanonicalWriter();
        writer.accept(out, value);
        return out.toByteArray();
    }
}
