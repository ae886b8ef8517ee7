package dev.quilt.chain;

import dev.quilt.common.crypto.Hash256;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What the ledger may know about the block being built: its height, its time (seconds, from the
 * block header, never from a machine clock), and the hashes of recent blocks that a quorum of
 * validators has certified, by height. Uptime challenges are answered against these.
 */
public record BlockContext(long height, long time, NavigableMap<Long, Hash256> recentCertifiedBlocks) {

    public BlockContext {
        if (height < 0 || time < 0) {
            throw new IllegalArgumentException("height and time must be non-negative");
        }
        recentCertifiedBlocks = Collections.unmodifiableNavigableMap(new TreeMap<>(recentCertifiedBlocks));
    }

    public static BlockContext of(long height, long time) {
        return new BlockContext(height, time, new TreeMap<>());
    }
}
