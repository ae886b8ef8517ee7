package dev.quilt.zdb.store;

/**
 * Counters since start-up, as INFO's stats section and the metrics endpoint report them.
 *
 * @param recoveredBytesCut bytes removed from torn or corrupt file tails at start-up
 */
public record StoreStats(
        long indexReadFailed, long indexWriteFailed, long dataReadFailed, long dataWriteFailed,
        long indexReadBytes, long indexWriteBytes, long dataReadBytes, long dataWriteBytes,
        long fsyncs, long recoveredBytesCut, long liveKeys, long liveDataBytes) {
}
