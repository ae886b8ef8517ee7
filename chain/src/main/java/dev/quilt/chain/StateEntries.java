package dev.quilt.chain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state as key → value entries, each key from {@link StateKeys}, each value the entry's
 * canonical encoding: what the state root commits to. Used to check the incremental root against
 * a tree built from scratch.
 */
final class StateEntries {
    private StateEntries() {}

    static Map<byte[], byte[]> of(LedgerState s) {
        Map<byte[], byte[]> entries = new LinkedHashMap<>();
        s.entries().scan(new byte[0], entries::put);
        return entries;
    }
}
