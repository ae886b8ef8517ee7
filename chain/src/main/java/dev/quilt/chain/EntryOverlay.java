package dev.quilt.chain;

import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Writes over a parent {@link StateView}: the journal of one transaction, or of one block's
 * accepted transactions over the persisted state. A refused transaction's journal is dropped and
 * its parent never sees its writes; an accepted one becomes the parent of the next.
 *
 * <p>Chains of overlays stay short: {@link #compacted()} merges every overlay above the first
 * non-overlay base into one, at a cost proportional to the writes, never to the state.
 *
 * <p>Not thread-safe while it is being written (confined to the {@link WorkingState} that owns
 * it); once sealed into a {@link LedgerState} it is never written again and may be read by any
 * thread.
 */
final class EntryOverlay implements StateView {
    /** Longest chain before {@link #compacted()} merges it; a read walks at most this many maps. */
    static final int MAX_DEPTH = 16;

    static final StateView EMPTY_BASE = new StateView() {
        @Override
        public byte[] get(byte[] key) {
            return null;
        }

        @Override
        public void scan(byte[] prefix, BiConsumer<byte[], byte[]> action) {}

        @Override
        public byte[] lastKey(byte[] prefix) {
            return null;
        }
    };

    private final StateView parent;
    private final int depth;
    private final TreeMap<byte[], byte[]> writes = new TreeMap<>(Arrays::compareUnsigned);

    EntryOverlay(StateView parent) {
        this.parent = parent;
        this.depth = parent instanceof EntryOverlay o ? o.depth + 1 : 1;
    }

    void put(byte[] key, byte[] value) {
        writes.put(key.clone(), value.clone());
    }

    /** This overlay's own writes, in key order. */
    NavigableMap<byte[], byte[]> writes() {
        return java.util.Collections.unmodifiableNavigableMap(writes);
    }

    /** The view this overlay is written over, with all overlays merged away. */
    StateView base() {
        return parent instanceof EntryOverlay o ? o.base() : parent;
    }

    /** Every write above {@link #base()}, newest winning, in key order. */
    NavigableMap<byte[], byte[]> writesSinceBase() {
        TreeMap<byte[], byte[]> merged = parent instanceof EntryOverlay o
                ? new TreeMap<>(o.writesSinceBase()) : new TreeMap<>(Arrays::compareUnsigned);
        merged.putAll(writes);
        return merged;
    }

    /** This overlay, or, when the chain has grown past {@link #MAX_DEPTH}, one overlay with the same content. */
    EntryOverlay compacted() {
        if (depth <= MAX_DEPTH) {
            return this;
        }
        EntryOverlay flat = new EntryOverlay(base());
        flat.writes.putAll(writesSinceBase());
        return flat;
    }

    @Override
    public byte[] get(byte[] key) {
        byte[] own = writes.get(key);
        return own != null ? own : parent.get(key);
    }

    @Override
    public void scan(byte[] prefix, BiConsumer<byte[], byte[]> action) {
        TreeMap<byte[], byte[]> merged = new TreeMap<>(Arrays::compareUnsigned);
        parent.scan(prefix, merged::put);
        for (Map.Entry<byte[], byte[]> e : writes.tailMap(prefix, true).entrySet()) {
            if (!startsWith(e.getKey(), prefix)) {
                break;
            }
            merged.put(e.getKey(), e.getValue());
        }
        merged.forEach(action);
    }

    @Override
    public byte[] lastKey(byte[] prefix) {
        byte[] inParent = parent.lastKey(prefix);
        byte[] own = null;
        for (byte[] k : writes.tailMap(prefix, true).keySet()) {
            if (!startsWith(k, prefix)) {
                break;
            }
            own = k;
        }
        if (own == null) {
            return inParent;
        }
        return inParent == null || Arrays.compareUnsigned(own, inParent) > 0 ? own : inParent;
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
