package dev.quilt.zdb.store;

/**
 * One parsed index entry (see {@link IndexFile} for the layout), describing the data record at
 * {@code dataOffset} of the same-numbered data file.
 */
record IndexEntry(long indexOffset, int flags, byte[] key, long dataOffset, long payloadLen, long timestamp,
                  int payloadCrc, int dataHeaderCrc, long previousEntryOffset) {

    boolean isTombstone() {
        return (flags & DataFile.FLAG_DELETED) != 0;
    }

    long size() {
        return IndexFile.ENTRY_HEADER_SIZE + key.length;
    }

    long nextEntryOffset() {
        return indexOffset + size();
    }

    /** End of the described data record. */
    long dataEnd() {
        return dataOffset + DataFile.RECORD_HEADER_SIZE + key.length + payloadLen;
    }

    static IndexEntry of(long indexOffset, RecordHeader h, long previousEntryOffset) {
        return new IndexEntry(indexOffset, h.flags(), h.key(), h.offset(), h.payloadLen(), h.timestamp(),
                h.payloadCrc(), h.headerCrc(), previousEntryOffset);
    }
}
