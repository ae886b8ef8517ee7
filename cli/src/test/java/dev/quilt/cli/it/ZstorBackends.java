package dev.quilt.cli.it;

import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import dev.quilt.zdb.client.ZdbClient;
import dev.quilt.zdb.store.StoreConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Real zdb servers on loopback, in this JVM, as zstor's backends: every server's {@code default} namespace
 * holds data shards, and the first three also have a {@code meta} namespace for metadata. {@link #writeConfig}
 * writes a zstor config over them (k = 4, n = 6: any two servers may be lost; a seventh is a spare that
 * rebuilds can move shards to).
 */
final class ZstorBackends implements AutoCloseable {
    static final String MASTER_KEY = "7c1f0e2d3b4a59687766554433221100ffeeddccbbaa99887766554433221100";

    private final List<ZdbServer> servers = new ArrayList<>();
    private final java.util.Set<Integer> stopped = new java.util.HashSet<>();

    ZstorBackends(Path dir, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            ZdbServerConfig config = new ZdbServerConfig(
                    StoreConfig.defaults(dir.resolve("zdb" + i + "/data"), dir.resolve("zdb" + i + "/index")),
                    Optional.of(new InetSocketAddress("127.0.0.1", 0)), Optional.empty(), Optional.empty(), false,
                    Optional.empty(), Optional.empty());
            servers.add(ZdbServer.start(config));
            if (i < 3) {
                try (ZdbClient admin = ZdbClient.builder("127.0.0.1", port(i)).build()) {
                    admin.nsnew("meta");
                }
            }
        }
    }

    int port(int server) {
        return servers.get(server).address().orElseThrow().getPort();
    }

    /** A running server whose default namespace holds something (a shard), the highest-numbered one. */
    int holdingShards() {
        for (int i = servers.size() - 1; i >= 0; i--) {
            if (!stopped.contains(i)) {
                try (ZdbClient client = ZdbClient.builder("127.0.0.1", port(i)).build()) {
                    if (client.dbsize() > 0) {
                        return i;
                    }
                }
            }
        }
        throw new IllegalStateException("no running server holds a shard");
    }

    /** Stops one server, as a dead machine would be. */
    void stop(int server) throws IOException {
        if (stopped.add(server)) {
            servers.get(server).close();
        }
    }

    /**
     * Writes a config over these servers to {@code file}, with {@code hostKeys} (TOML lines such as
     * {@code socket = "..."}) at the top level.
     */
    Path writeConfig(Path file, String... hostKeys) throws IOException {
        List<String> lines = new ArrayList<>(List.of("minimal_shards = 4", "expected_shards = 6", "redundant_nodes = 2",
                "stripe_size = 65536"));
        lines.addAll(List.of(hostKeys));
        lines.addAll(List.of("[encryption]", "algorithm = \"AES\"", "key = \"" + MASTER_KEY + "\"",
                "[meta]", "type = \"zdb\"", "[meta.config]", "prefix = \"it\""));
        for (int i = 0; i < 3; i++) {
            lines.addAll(List.of("[[meta.config.backends]]", "address = \"127.0.0.1:" + port(i) + "\"", "namespace = \"meta\""));
        }
        lines.add("[[groups]]");
        for (int i = 0; i < servers.size(); i++) {
            lines.addAll(List.of("[[groups.backends]]", "address = \"127.0.0.1:" + port(i) + "\""));
        }
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    @Override
    public void close() throws IOException {
        for (int i = 0; i < servers.size(); i++) {
            stop(i);
        }
    }
}
