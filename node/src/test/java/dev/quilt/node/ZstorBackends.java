package dev.quilt.node;

import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import dev.quilt.zdb.client.ZdbClient;
import dev.quilt.zdb.store.StoreConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Three real zdb servers on loopback as a zstor's backends (k = 2, n = 3), each also holding metadata. */
final class ZstorBackends implements AutoCloseable {
    private final List<ZdbServer> servers = new ArrayList<>();

    ZstorBackends(Path dir) throws IOException {
        for (int i = 0; i < 3; i++) {
            ZdbServer server = ZdbServer.start(new ZdbServerConfig(
                    StoreConfig.defaults(dir.resolve("zdb" + i + "/data"), dir.resolve("zdb" + i + "/index")),
                    Optional.of(new InetSocketAddress("127.0.0.1", 0)), Optional.empty(), Optional.empty(), false,
                    Optional.empty(), Optional.empty()));
            servers.add(server);
            try (ZdbClient admin = ZdbClient.builder("127.0.0.1", port(i)).build()) {
                admin.nsnew("meta");
            }
        }
    }

    private int port(int i) {
        return servers.get(i).address().orElseThrow().getPort();
    }

    /** The zstor config, with its encryption key: what an owner seals into a thin workload. */
    String toml() {
        StringBuilder t = new StringBuilder("""
                minimal_shards = 2
                expected_shards = 3
                redundant_nodes = 1
                stripe_size = 1048576
                [encryption]
                algorithm = "AES"
                key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
                [meta]
                type = "zdb"
                [meta.config]
                prefix = "thin"
                """);
        for (int i = 0; i < servers.size(); i++) {
            t.append("[[meta.config.backends]]\naddress = \"127.0.0.1:").append(port(i)).append("\"\nnamespace = \"meta\"\n");
        }
        t.append("[[groups]]\n");
        for (int i = 0; i < servers.size(); i++) {
            t.append("[[groups.backends]]\naddress = \"127.0.0.1:").append(port(i)).append("\"\n");
        }
        return t.toString();
    }

    /** Snapshots {@code src} into these backends in 1 MiB chunks; the manifest's hash. */
    dev.quilt.common.crypto.Hash256 snapshot(Path src) throws IOException {
        try (dev.quilt.zstor.Zstor zstor = dev.quilt.zstor.Zstor.open(dev.quilt.zstor.config.ZstorConfig.parse(toml()))) {
            return new dev.quilt.fs.Snapshotter(new dev.quilt.fs.ChunkStore(zstor), 1 << 20)
                    .create(src, java.util.OptionalLong.empty(), n -> { }).hash();
        }
    }

    @Override
    public void close() throws IOException {
        for (ZdbServer s : servers) {
            s.close();
        }
    }
}
