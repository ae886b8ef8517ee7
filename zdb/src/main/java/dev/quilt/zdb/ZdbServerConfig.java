package dev.quilt.zdb;

import dev.quilt.zdb.store.StoreConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code quilt zdb} accepts, as 0-db's flags name it.
 *
 * @param store         data and index roots, mode, datafile size, sync policy, default maxsize
 * @param listen        TCP address to serve (0-db's --listen/--port); empty when only a unix socket is served
 * @param socket        unix socket path (--socket); empty for none
 * @param adminPassword --admin; empty means every connection is admin
 * @param protect       --protect: default namespace read-only until SELECT default &lt;adminpw&gt;
 * @param hook          --hook executable; empty for none
 * @param metrics       --metrics HOST:PORT Prometheus text endpoint; empty for none
 * @param transport     the Netty transport; {@link ZdbTransport#AUTO} picks epoll, io_uring or NIO, the first available
 * @param busyPoll      --busy-poll: how long the event loop polls for I/O without blocking before it sleeps, backing
 *                      off while polls find nothing; zero never polls (epoll and NIO; io_uring ignores it)
 */
public record ZdbServerConfig(
        StoreConfig store,
        Optional<InetSocketAddress> listen,
        Optional<Path> socket,
        Optional<String> adminPassword,
        boolean protect,
        Optional<Path> hook,
        Optional<InetSocketAddress> metrics,
        ZdbTransport transport,
        Duration busyPoll) {

    public static final int DEFAULT_PORT = 9900;
    public static final Duration DEFAULT_BUSY_POLL = Duration.ofNanos(50_000);
    /** A poll holds back timers (idle-file sweeps, --synctime flushes) for up to its length, so it stays short. */
    public static final Duration MAX_BUSY_POLL = Duration.ofMillis(1);

    public ZdbServerConfig {
        if (protect && adminPassword.isEmpty()) {
            throw new IllegalArgumentException("--protect needs --admin: the admin password protects the default namespace");
        }
        if (listen.isEmpty() && socket.isEmpty()) {
            throw new IllegalArgumentException("nothing to listen on: give --listen/--port or --socket");
        }
        Objects.requireNonNull(transport, "transport");
        if (busyPoll.isNegative() || busyPoll.compareTo(MAX_BUSY_POLL) > 0) {
            throw new IllegalArgumentException("--busy-poll: " + busyPoll.toNanos() / 1000 + " (expected: 0.."
                    + MAX_BUSY_POLL.toNanos() / 1000 + " microseconds)");
        }
    }

    /** A server on the transport {@link ZdbTransport#AUTO} picks, polling for {@link #DEFAULT_BUSY_POLL}. */
    public ZdbServerConfig(StoreConfig store, Optional<InetSocketAddress> listen, Optional<Path> socket,
                           Optional<String> adminPassword, boolean protect, Optional<Path> hook,
                           Optional<InetSocketAddress> metrics) {
        this(store, listen, socket, adminPassword, protect, hook, metrics, ZdbTransport.AUTO, DEFAULT_BUSY_POLL);
    }

    /** This configuration on another transport. */
    public ZdbServerConfig withTransport(ZdbTransport other) {
        return new ZdbServerConfig(store, listen, socket, adminPassword, protect, hook, metrics, other, busyPoll);
    }

    /** This configuration with another busy-poll budget. */
    public ZdbServerConfig withBusyPoll(Duration budget) {
        return new ZdbServerConfig(store, listen, socket, adminPassword, protect, hook, metrics, transport, budget);
    }
}
