package dev.quilt.zdb.it;

import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import dev.quilt.zdb.store.StoreConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A zdb in a process of its own, for tests that kill it: {@code ZdbChildMain DATA INDEX DATASIZE SYNC}.
 * Serves (with {@code --sync} when SYNC is {@code true}) on an ephemeral loopback port and prints {@code READY <port>} once serving.
 */
public final class ZdbChildMain {
    private ZdbChildMain() { }

    public static void main(String[] args) throws Exception {
        StoreConfig store = new StoreConfig(Path.of(args[0]), Path.of(args[1]), Optional.empty(),
                Long.parseLong(args[2]), Boolean.parseBoolean(args[3]), Duration.ZERO, 0);
        ZdbServer server = ZdbServer.start(new ZdbServerConfig(store,
                Optional.of(new InetSocketAddress("127.0.0.1", 0)), Optional.empty(), Optional.empty(), false,
                Optional.empty(), Optional.empty()));
        System.out.println("READY " + server.address().orElseThrow().getPort());
        System.out.flush();
        server.awaitTermination();
    }
}
