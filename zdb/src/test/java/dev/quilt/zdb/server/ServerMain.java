package dev.quilt.zdb.server;

import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import dev.quilt.zdb.store.StoreConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/** Child-process entry point for crash tests: serves {@code args[0]} on an ephemeral port and prints it. */
public final class ServerMain {
    private ServerMain() { }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        ZdbServerConfig config = new ZdbServerConfig(StoreConfig.defaults(dir.resolve("data"), dir.resolve("index")),
                Optional.of(new InetSocketAddress("127.0.0.1", 0)), Optional.empty(), Optional.empty(), false,
                Optional.empty(), Optional.empty());
        ZdbServer server = ZdbServer.start(config);
        System.out.println("port=" + server.address().orElseThrow().getPort());
        System.out.flush();
        server.awaitTermination();
    }
}
