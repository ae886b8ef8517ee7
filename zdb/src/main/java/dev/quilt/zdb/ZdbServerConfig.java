package dev.quilt.zdb;

import dev.quilt.zdb.store.StoreConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
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
 */
public record ZdbServerConfig(
        StoreConfig store,
        Optional<InetSocketAddress> listen,
        Optional<Path> socket,
        Optional<String> adminPassword,
        boolean protect,
        Optional<Path> hook,
        Optional<InetSocketAddress> metrics,
        ZdbTransport transport) {

    public static final int DEFAULT_PORT = 9900;

    public ZdbServerConfig {
        if (protect && adminPassword.isEmpty()) {
            throw new IllegalArgumentException("--protect needs --admin: the admin password protects the default namespace");
        }
        if (listen.isEmpty() && socket.isEmpty()) {
            throw new IllegalArgumentException("nothing to listen on: give --listen/--port or --socket");
        }
        Objects.requireNonNull(transport, "transport");
    }

    /** A server on the transport {@link ZdbTransport#AUTO} picks. */
    public ZdbServerConfig(StoreConfig store, Optional<InetSocketAddress> listen, Optional<Path> socket,
                           Optional<String> adminPassword, boolean protect, Optional<Path> hook,
                           Optional<InetSocketAddress> metrics) {
        this(store, listen, socket, adminPassword, protect, hook, metrics, ZdbTransport.AUTO);
    }

    /** This configuration on another transport. */
    public ZdbServerConfig withTransport(ZdbTransport other) {
        return new ZdbServerConfig(store, listen, socket, adminPassword, protect, hook, metrics, other);
    }
}
