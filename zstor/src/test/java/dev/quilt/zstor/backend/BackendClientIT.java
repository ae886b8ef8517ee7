package dev.quilt.zstor.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import dev.quilt.zdb.client.ZdbClient;
import dev.quilt.zdb.store.StoreConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backend parsed from config reaches a real zdb namespace behind a password. */
class BackendClientIT {

    @Test
    void clientFromABackendSelectsItsPasswordProtectedNamespace(@TempDir Path dir) throws Exception {
        ZdbServerConfig config = new ZdbServerConfig(StoreConfig.defaults(dir.resolve("data"), dir.resolve("index")),
                Optional.of(new InetSocketAddress("127.0.0.1", 0)), Optional.empty(), Optional.empty(), false,
                Optional.empty(), Optional.empty());
        try (ZdbServer server = ZdbServer.start(config)) {
            int port = server.address().orElseThrow().getPort();
            try (ZdbClient admin = ZdbClient.builder("127.0.0.1", port).build()) {
                admin.nsnew("shards");
                admin.nsset("shards", "password", "s3cret");
            }
            Backend backend = Backend.parse("127.0.0.1:" + port, Optional.of("shards"), Optional.of("s3cret"));
            try (ZdbClient client = backend.clientBuilder().build()) {
                client.set("k".getBytes(), "v".getBytes());
            }
            try (ZdbClient client = ZdbClient.builder("127.0.0.1", port).namespace("shards", "s3cret").build()) {
                assertThat(client.get("k".getBytes())).isEqualTo("v".getBytes());
            }
        }
    }
}
