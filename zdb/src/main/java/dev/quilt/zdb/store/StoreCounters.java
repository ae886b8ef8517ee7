package dev.quilt.zdb.store;

/** Mutable counters behind {@link StoreStats}. Confined to the owner thread. */
final class StoreCounters {
    long indexReadFailed;
    long indexWriteFailed;
    long dataReadFailed;
    long dataWriteFailed;
    long indexReadBytes;
    long indexWriteBytes;
    long dataReadBytes;
    long dataWriteBytes;
    long recoveredBytesCut;
}
