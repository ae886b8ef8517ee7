package dev.quilt.zdb.store;

import java.util.List;

/**
 * One SCAN/RSCAN batch.
 *
 * @param nextCursor 17-byte cursor of the last entry returned (feed it back to continue); null when empty
 */
public record ScanBatch(byte[] nextCursor, List<Entry> entries) {

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** One live key: its bytes, payload length and timestamp. */
    public record Entry(byte[] key, long length, long timestamp) { }
}
