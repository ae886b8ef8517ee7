package dev.quilt.zdb.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A bounded pool of connections to one server.
 *
 * <p>At most {@code maxConnections} connections exist at once; a caller beyond that waits for one to be
 * released, up to {@code borrowTimeout}. Idle connections are reused most-recently-released first, so a
 * lightly used client keeps few sockets busy. A connection released as unhealthy is closed, not reused;
 * after a network failure the caller also {@linkplain #discardIdle discards the idle ones}.
 *
 * <p>Thread-safe: a {@link Semaphore} counts connections in existence, a lock-free deque holds idle ones.
 * Blocking here parks a virtual thread without pinning its carrier.
 */
final class ConnectionPool implements AutoCloseable {
    private final InetSocketAddress address;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration borrowTimeout;
    private final int maxConnections;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    ConnectionPool(InetSocketAddress address, Duration connectTimeout, Duration readTimeout,
                   Duration borrowTimeout, int maxConnections) {
        this.address = address;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.borrowTimeout = borrowTimeout;
        this.maxConnections = maxConnections;
        this.permits = new Semaphore(maxConnections, true);
    }

    /** An idle connection, or a new one (its {@code session} is then null). */
    Connection borrow() throws IOException {
        if (closed) {
            throw new IllegalStateException("client is closed");
        }
        try {
            if (!permits.tryAcquire(borrowTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IOException("all " + maxConnections + " connections to " + address.getHostString() + ":"
                        + address.getPort() + " stayed busy for " + borrowTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a connection", e);
        }
        Connection connection = idle.pollFirst();
        if (connection != null) {
            return connection;
        }
        try {
            return Connection.open(address, connectTimeout, readTimeout);
        } catch (IOException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Gives a borrowed connection back; an unhealthy one is closed. */
    void release(Connection connection, boolean healthy) {
        if (healthy && !closed) {
            idle.offerFirst(connection);
            if (closed && idle.remove(connection)) {
                connection.close();
            }
        } else {
            connection.close();
        }
        permits.release();
    }

    /**
     * Closes every idle connection: after one connection failed, the server has likely restarted or the
     * network dropped, and the idle ones would each fail one more call.
     */
    void discardIdle() {
        Connection connection;
        while ((connection = idle.pollFirst()) != null) {
            connection.close();
        }
    }

    int idleCount() {
        return idle.size();
    }

    /** Closes idle connections now and borrowed ones when they are released. */
    @Override
    public void close() {
        closed = true;
        discardIdle();
    }
}
