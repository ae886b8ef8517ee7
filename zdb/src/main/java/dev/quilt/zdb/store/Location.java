package dev.quilt.zdb.store;

/**
 * Where the current version of a key lives and what the memory table knows about it.
 *
 * @param headerCrc the data record's header checksum (SCAN cursors carry it)
 */
record Location(long fileId, long offset, long payloadLen, long timestamp, int payloadCrc, int headerCrc) {

    static Location of(long fileId, RecordHeader h) {
        return new Location(fileId, h.offset(), h.payloadLen(), h.timestamp(), h.payloadCrc(), h.headerCrc());
    }

    static Location of(long fileId, IndexEntry e) {
        return new Location(fileId, e.dataOffset(), e.payloadLen(), e.timestamp(), e.payloadCrc(), e.dataHeaderCrc());
    }

    boolean isAt(long otherFileId, long otherOffset) {
        return fileId == otherFileId && offset == otherOffset;
    }
}
