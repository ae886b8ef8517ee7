package dev.quilt.zstor.daemon;

import dev.quilt.common.metrics.MetricsRegistry;
import dev.quilt.zstor.CheckReport;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon's metrics, in one place so the README's list and the code agree. Counters only go up; gauges
 * describe the last sweep or scan. Thread-safe.
 */
final class DaemonMetrics {
    final MetricsRegistry registry = new MetricsRegistry();

    final MetricsRegistry.Counter sweeps = registry.counter("zstor_repair_sweeps_total", "Repair sweeps completed");
    final MetricsRegistry.Counter checkErrors = registry.counter("zstor_repair_errors_total",
            "Objects the repair loop could not check or rebuild (backend or metadata errors)");
    final MetricsRegistry.Counter shardsRebuilt = registry.counter("zstor_repair_shards_rebuilt_total",
            "Shards rewritten by rebuilds of degraded objects");
    final MetricsRegistry.Counter rebuilds = registry.counter("zstor_repair_rebuilds_total", "Rebuilds of degraded objects");
    final MetricsRegistry.Counter bytesScrubbed = registry.counter("zstor_repair_bytes_scrubbed_total",
            "Object bytes (plaintext) whose shards were read and verified");
    final AtomicLong lastSweepMillis = new AtomicLong();
    final AtomicLong lastHealthy = new AtomicLong();
    final AtomicLong lastDegraded = new AtomicLong();
    final AtomicLong lastLost = new AtomicLong();
    final AtomicLong backends = new AtomicLong();
    final AtomicLong backendsReachable = new AtomicLong();

    final MetricsRegistry.Counter offloadStored = registry.counter("zstor_offload_stored_files_total",
            "zdb data files stored in zstor and confirmed in the manifest");
    final MetricsRegistry.Counter offloadStoredBytes = registry.counter("zstor_offload_stored_bytes_total",
            "Bytes of zdb data files stored and confirmed");
    final MetricsRegistry.Counter offloadFailures = registry.counter("zstor_offload_store_failures_total",
            "Attempts to store a data file that failed (the file stays local and is retried)");
    final MetricsRegistry.Counter retrieved = registry.counter("zstor_offload_retrieved_files_total",
            "Offloaded data files brought back for zdb's missing-data hook");
    final MetricsRegistry.Counter retrieveFailures = registry.counter("zstor_offload_retrieve_failures_total",
            "missing-data retrievals that failed");
    final MetricsRegistry.Counter evicted = registry.counter("zstor_offload_evicted_files_total",
            "Confirmed data files deleted locally to stay under max_zdb_data_dir_size");
    final MetricsRegistry.Counter evictedBytes = registry.counter("zstor_offload_evicted_bytes_total",
            "Bytes of data files deleted locally");
    final AtomicLong queued = new AtomicLong();
    final AtomicLong unconfirmed = new AtomicLong();
    final AtomicLong dataDirBytes = new AtomicLong();

    DaemonMetrics() {
        registry.gauge("zstor_repair_last_sweep_milliseconds", "Duration of the last complete sweep", lastSweepMillis::get);
        registry.gauge("zstor_objects_healthy", "Objects found healthy by the last sweep", lastHealthy::get);
        registry.gauge("zstor_objects_degraded", "Objects found degraded (then rebuilt) by the last sweep", lastDegraded::get);
        registry.gauge("zstor_objects_lost", "Objects with a stripe below k good shards in the last sweep", lastLost::get);
        registry.gauge("zstor_backends", "Data and metadata backends in the config", backends::get);
        registry.gauge("zstor_backends_reachable", "Backends that answered the last status probe", backendsReachable::get);
        registry.gauge("zstor_offload_queued_files", "Closed data files waiting to be stored", queued::get);
        registry.gauge("zstor_offload_unconfirmed_files",
                "Closed data files not yet confirmed stored, as of the last scan", unconfirmed::get);
        registry.gauge("zstor_offload_data_dir_bytes", "Bytes under zdb_data_dir_path, as of the last scan", dataDirBytes::get);
    }

    /** Counts one checked object by its health. */
    void checked(CheckReport.Health health) {
        registry.counter("zstor_repair_objects_checked_total", "Objects scrubbed, by the health found", "health",
                health.name().toLowerCase(java.util.Locale.ROOT)).increment();
    }

    void hookRequest(String event) {
        registry.counter("zstor_hook_requests_total", "Hook events received on the control socket, by event",
                "event", event).increment();
    }
}
