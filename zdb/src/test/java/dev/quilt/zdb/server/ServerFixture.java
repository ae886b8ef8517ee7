package dev.quilt.zdb.server;

import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import dev.quilt.zdb.ZdbTransport;
import dev.quilt.zdb.store.Mode;
import dev.quilt.zdb.store.StoreConfig;
import dev.quilt.zdb.testing.InMemoryStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A real server on 127.0.0.1:0 over the file store (or, with {@link #inMemory()}, the in-memory double), with
 * options set fluently before {@link #start()}.
 */
final class ServerFixture implements AutoCloseable {

    private final Path dir;
    private Optional<Mode> mode = Optional.empty();
    private Optional<String> admin = Optional.empty();
    private boolean protect;
    private boolean sync;
    private Optional<Path> hook = Optional.empty();
    private Optional<InetSocketAddress> metrics = Optional.empty();
    private boolean inMemory;
    private ZdbTransport transport = ZdbTransport.AUTO;
    private Duration busyPoll = ZdbServerConfig.DEFAULT_BUSY_POLL;
    private Duration dataFileIdleTimeout = StoreConfig.DEFAULT_DATA_FILE_IDLE_TIMEOUT;
    private ZdbServer server;
    private final List<RawClient> clients = new ArrayList<>();

    ServerFixture(Path dir) {
        this.dir = dir;
    }

    ServerFixture mode(Mode value) {
        mode = Optional.of(value);
        return this;
    }

    ServerFixture admin(String password) {
        admin = Optional.of(password);
        return this;
    }

    ServerFixture protect() {
        protect = true;
        return this;
    }

    ServerFixture sync() {
        sync = true;
        return this;
    }

    ServerFixture hook(Path program) {
        hook = Optional.of(program);
        return this;
    }

    ServerFixture metrics() {
        metrics = Optional.of(new InetSocketAddress("127.0.0.1", 0));
        return this;
    }

    ServerFixture dataFileIdleTimeout(Duration value) {
        dataFileIdleTimeout = value;
        return this;
    }

    ServerFixture transport(ZdbTransport value) {
        transport = value;
        return this;
    }

    ServerFixture busyPoll(Duration value) {
        busyPoll = value;
        return this;
    }

    /** Serve the in-memory store double instead of the file store. */
    ServerFixture inMemory() {
        inMemory = true;
        return this;
    }

    ServerFixture start() throws IOException {
        StoreConfig store = new StoreConfig(dir.resolve("data"), dir.resolve("index"), mode,
                StoreConfig.DEFAULT_DATA_FILE_SIZE, sync, Duration.ZERO, 0)
                .withOpenDataFiles(StoreConfig.DEFAULT_OPEN_DATA_FILES, dataFileIdleTimeout);
        ZdbServerConfig config = new ZdbServerConfig(store, Optional.of(new InetSocketAddress("127.0.0.1", 0)),
                Optional.empty(), admin, protect, hook, metrics).withTransport(transport).withBusyPoll(busyPoll);
        server = inMemory
                ? NettyZdbServer.start(config, (c, listener, owner) -> new InMemoryStore(c, listener))
                : NettyZdbServer.start(config);
        return this;
    }

    ZdbServer server() {
        return server;
    }

    InetSocketAddress address() {
        return server.address().orElseThrow();
    }

    RawClient client() throws IOException {
        RawClient client = new RawClient(address());
        clients.add(client);
        return client;
    }

    @Override
    public void close() throws IOException {
        for (RawClient client : clients) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
