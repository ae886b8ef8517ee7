package dev.quilt.zdb.store;

/**
 * The parsed fixed part and key of one data record (see {@link DataFile} for the layout).
 *
 * @param offset     where the record starts in its data file
 * @param headerCrc  the stored header checksum (part of SCAN cursors)
 * @param parentFileId the previous version's file, {@link DataFile#NO_PARENT} when none
 */
record RecordHeader(long offset, int headerCrc, int flags, byte[] key, long payloadLen, long timestamp,
                    int payloadCrc, long previousOffset, long parentFileId, long parentOffset) {

    boolean isTombstone() {
        return (flags & DataFile.FLAG_DELETED) != 0;
    }

    long size() {
        return DataFile.RECORD_HEADER_SIZE + key.length + payloadLen;
    }

    long payloadOffset() {
        return offset + DataFile.RECORD_HEADER_SIZE + key.length;
    }

    boolean hasParent() {
        return parentFileId != DataFile.NO_PARENT || parentOffset != DataFile.NO_PARENT;
    }
}
