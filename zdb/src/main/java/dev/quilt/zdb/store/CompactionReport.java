package dev.quilt.zdb.store;

/**
 * What a compaction did.
 *
 * @param filesCompacted closed data files rewritten
 * @param bytesBefore    their size before
 * @param bytesAfter     their size after
 * @param recordsDropped superseded versions and tombstones removed
 */
public record CompactionReport(int filesCompacted, long bytesBefore, long bytesAfter, long recordsDropped) { }
