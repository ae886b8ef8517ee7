package dev.quilt.zdb.command;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters INFO reports and the metrics endpoint exports. Thread-safe: written on the event loop, read
 * from anywhere.
 */
public final class ServerStats {
    public final AtomicLong commandsExecuted = new AtomicLong();
    public final AtomicLong commandsFailed = new AtomicLong();
    public final AtomicLong commandsUnauthorized = new AtomicLong();
    public final AtomicLong clientsLifetime = new AtomicLong();
    public final AtomicLong clientsConnected = new AtomicLong();
    public final AtomicLong networkRxBytes = new AtomicLong();
    public final AtomicLong networkTxBytes = new AtomicLong();
    public final AtomicLong protocolErrors = new AtomicLong();
}
