package dev.quilt.zdb;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A running zdb: the store, its network listeners, hooks and metrics.
 *
 * <p>Thread-safe. {@link #start} returns once the server accepts connections (after recovery and the
 * {@code ready} hook); {@link #close} stops accepting, closes connections, flushes and forces the store
 * to disk and releases the directory locks.
 */
public interface ZdbServer extends AutoCloseable {

    /**
     * Opens the store and starts serving.
     *
     * @throws dev.quilt.zdb.store.StoreLockedException when another instance uses the directories
     * @throws IOException when a port cannot be bound or the files cannot be opened
     */
    static ZdbServer start(ZdbServerConfig config) throws IOException {
        return ZdbServers.start(config);
    }

    /** The bound TCP address (useful with port 0), if TCP is served. */
    Optional<InetSocketAddress> address();

    /** The bound metrics address, if a metrics endpoint is served. */
    Optional<InetSocketAddress> metricsAddress();

    /** Blocks until the server is closed. */
    void awaitTermination() throws InterruptedException;

    @Override
    void close() throws IOException;
}
