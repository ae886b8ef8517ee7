package dev.quilt.chain;

import java.util.function.BiConsumer;

/**
 * The ledger state as its store keeps it: sorted keys ({@link StateKeys}) → the canonical encoding
 * of each entry. An in-memory map, a journal of one transaction's or one block's writes
 * ({@link EntryOverlay}), or a RocksDB store serves it.
 *
 * <p>Keys are ordered as unsigned bytes, the order RocksDB's default comparator uses, so a scan
 * visits entries in the same order whatever serves them. Entries are never removed: the ledger
 * marks deleted contracts instead, and ids are never reused.
 */
interface StateView {

    /** The entry under {@code key}, or null when there is none. */
    byte[] get(byte[] key);

    /** Calls {@code action} for each entry whose key starts with {@code prefix}, in key order. */
    void scan(byte[] prefix, BiConsumer<byte[], byte[]> action);

    /** The greatest key starting with {@code prefix}, or null when there is none. */
    byte[] lastKey(byte[] prefix);

    /** An empty view: the base of a chain built from nothing. */
    static StateView empty() {
        return EntryOverlay.EMPTY_BASE;
    }
}
