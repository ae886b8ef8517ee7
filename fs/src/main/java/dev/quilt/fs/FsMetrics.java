package dev.quilt.fs;

import dev.quilt.common.metrics.MetricsRegistry;
import java.util.function.LongSupplier;

/** The mount's counters, in Prometheus text through the registry. */
final class FsMetrics {
    final MetricsRegistry registry = new MetricsRegistry();
    final MetricsRegistry.Counter hits = registry.counter("quilt_fs_cache_hits_total",
            "Chunk reads served from the local cache.");
    final MetricsRegistry.Counter misses = registry.counter("quilt_fs_cache_misses_total",
            "Chunk reads that had to wait for a fetch from zstor.");
    final MetricsRegistry.Counter fetches = registry.counter("quilt_fs_fetches_total",
            "Chunks fetched from zstor (reads, prefetches and copy-on-write).");
    final MetricsRegistry.Counter fetchFailures = registry.counter("quilt_fs_fetch_failures_total",
            "Chunk fetches that failed or timed out.");
    final MetricsRegistry.Counter bytesFetched = registry.counter("quilt_fs_fetched_bytes_total",
            "Plaintext bytes of chunks fetched from zstor.");
    final MetricsRegistry.Counter fetchMicros = registry.counter("quilt_fs_fetch_microseconds_total",
            "Time spent fetching chunks, summed; divide by quilt_fs_fetches_total for the mean latency.");
    final MetricsRegistry.Counter evictions = registry.counter("quilt_fs_evictions_total",
            "Clean chunks dropped from the local cache to stay under --cache-size.");
    final MetricsRegistry.Counter flushed = registry.counter("quilt_fs_flushed_chunks_total",
            "Dirty chunks written to zstor.");
    final MetricsRegistry.Counter flushedBytes = registry.counter("quilt_fs_flushed_bytes_total",
            "Bytes of dirty chunks written to zstor.");

    void gauges(LongSupplier dirtyBytes, LongSupplier cleanBytes) {
        registry.gauge("quilt_fs_dirty_bytes", "Bytes of chunks written locally and not yet in zstor.", dirtyBytes);
        registry.gauge("quilt_fs_cached_bytes", "Bytes of clean chunks in the local cache.", cleanBytes);
    }
}
