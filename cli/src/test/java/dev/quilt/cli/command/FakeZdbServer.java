package dev.quilt.cli.command;

import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Stands in for a started server so {@code quilt zdb}'s flag handling can be tested in-process; the real
 * server is started by {@code ZdbCommandIT}. It records the configuration it was started with and
 * "terminates" at once.
 */
final class FakeZdbServer implements ZdbServer, ZdbCommand.Starter {
    ZdbServerConfig config;
    boolean closed;

    @Override
    public ZdbServer start(ZdbServerConfig config) {
        this.config = config;
        return this;
    }

    @Override
    public Optional<InetSocketAddress> address() {
        return config.listen();
    }

    @Override
    public Optional<InetSocketAddress> metricsAddress() {
        return config.metrics();
    }

    @Override
    public void awaitTermination() { }

    @Override
    public void close() {
        closed = true;
    }
}
