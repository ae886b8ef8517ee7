package dev.quilt.zstor.backend;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What one backend's recent calls say about it: a latency average, consecutive failures and the
 * last error. Readers rank backends by it and derive hedge delays from it; one success resets the
 * failure count, so a backend that comes back is used again at once. Thread-safe.
 */
public final class BackendHealth {

    /** Weight of the newest sample: about the last ten calls dominate the average. */
    private static final double ALPHA = 0.2;
    /** Assumed latency before any sample, so an unknown backend ranks after a proven fast one. */
    private static final long INITIAL_NANOS = Duration.ofMillis(5).toNanos();
    private static final long MIN_HEDGE_NANOS = Duration.ofMillis(10).toNanos();
    private static final long MAX_HEDGE_NANOS = Duration.ofSeconds(1).toNanos();

    private final LongSupplier nanoTime;
    private double ewmaNanos = INITIAL_NANOS;
    /** Mean deviation of latency from the average (TCP's RTTVAR, RFC 6298), with weight 1/4. */
    private double deviationNanos = INITIAL_NANOS / 2.0;
    private int consecutiveFailures;
    private long failures;
    private String lastError;
    private long lastFailureNanos;

    public BackendHealth(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** A call started now; pass the value to {@link #succeeded} or {@link #failed}. */
    public long start() {
        return nanoTime.getAsLong();
    }

    public synchronized void succeeded(long startNanos) {
        long took = Math.max(0, nanoTime.getAsLong() - startNanos);
        deviationNanos = 0.75 * deviationNanos + 0.25 * Math.abs(ewmaNanos - took);
        ewmaNanos = ALPHA * took + (1 - ALPHA) * ewmaNanos;
        consecutiveFailures = 0;
    }

    public synchronized void failed(long startNanos, String error) {
        long took = Math.max(0, nanoTime.getAsLong() - startNanos);
        // A failure that took long (a timeout) also says the backend is slow.
        ewmaNanos = ALPHA * Math.max(took, ewmaNanos) + (1 - ALPHA) * ewmaNanos;
        consecutiveFailures++;
        failures++;
        lastError = error;
        lastFailureNanos = nanoTime.getAsLong();
    }

    /** Latency average of recent calls. */
    public synchronized long latencyNanos() {
        return (long) ewmaNanos;
    }

    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** Failed calls since start; unlike {@link #consecutiveFailures()}, never reset. */
    public synchronized long failures() {
        return failures;
    }

    /** Whether the last call succeeded (or none was made yet). */
    public synchronized boolean healthy() {
        return consecutiveFailures == 0;
    }

    public synchronized Optional<String> lastError() {
        return consecutiveFailures > 0 ? Optional.ofNullable(lastError) : Optional.empty();
    }

    /**
     * How long to wait for a shard from this backend before asking another one too: its average
     * latency plus four mean deviations (TCP's retransmission timer, RFC 6298), and at least twice the
     * average, within 10 ms .. 1 s. A hedge costs a second read; waiting for a high percentile rather
     * than a multiple of the mean keeps that extra load small on a backend whose latency merely
     * varies (on a busy host), while a stalled one is still passed over after a bounded wait.
     */
    public synchronized long hedgeDelayNanos() {
        long delay = (long) Math.max(2 * ewmaNanos, ewmaNanos + 4 * deviationNanos);
        return Math.clamp(delay, MIN_HEDGE_NANOS, MAX_HEDGE_NANOS);
    }

    /** A sort key: healthy before failing, then fastest first. */
    public synchronized long rank() {
        return consecutiveFailures > 0 ? Long.MAX_VALUE / 2 + consecutiveFailures : (long) ewmaNanos;
    }
}
