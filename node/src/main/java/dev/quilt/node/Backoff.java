package dev.quilt.node;

import java.time.Duration;

/**
 * Restart back-off: doubling from {@code initial} up to {@code max} after each failure in a row;
 * a run that lasted {@code stable} counts as a success and resets it.
 */
record Backoff(Duration initial, Duration max, Duration stable) {
    static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(1));

    /** The delay before restart number {@code failuresInARow} (1 = the first). */
    Duration delay(int failuresInARow) {
        int shift = Math.min(Math.max(failuresInARow - 1, 0), 30);
        Duration d = initial.multipliedBy(1L << shift);
        return d.compareTo(max) > 0 ? max : d;
    }
}
