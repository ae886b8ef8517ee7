package dev.quilt.fs;

import dev.quilt.testkit.FaultProxy;
import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import dev.quilt.zdb.client.ZdbClient;
import dev.quilt.zdb.store.StoreConfig;
import dev.quilt.zstor.config.ZstorConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Real zdb servers on loopback, in this JVM, as zstor's backends: k = 4, n = 6 over {@code count} servers
 * (so any two may be down), the first three also holding metadata in a {@code meta} namespace.
 */
final class ZdbBackends implements AutoCloseable {
    static final String MASTER_KEY = "5a1f0e2d3b4a59687766554433221100ffeeddccbbaa99887766554433221100";

    private final List<ZdbServer> servers = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    /** One proxy in front of each server: the address zstor uses, where a test injects faults. */
    private final List<FaultProxy> proxies = new ArrayList<>();

    ZdbBackends(Path dir, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            ZdbServerConfig config = new ZdbServerConfig(
                    StoreConfig.defaults(dir.resolve("zdb" + i + "/data"), dir.resolve("zdb" + i + "/index")),
                    Optional.of(new InetSocketAddress("127.0.0.1", 0)), Optional.empty(), Optional.empty(), false,
                    Optional.empty(), Optional.empty());
            ZdbServer server = ZdbServer.start(config);
            servers.add(server);
            ports.add(server.address().orElseThrow().getPort());
            proxies.add(FaultProxy.start(ports.get(i)));
            if (i < 3) {
                try (ZdbClient admin = ZdbClient.builder("127.0.0.1", ports.get(i)).build()) {
                    admin.nsnew("meta");
                }
            }
        }
    }

    /** Stops a data-only server (never one holding metadata), as a dead machine would be. */
    void stop(int server) throws IOException {
        if (server < 3) {
            throw new IllegalArgumentException("servers 0..2 hold metadata; stop a later one");
        }
        if (servers.get(server) != null) {
            servers.get(server).close();
            servers.set(server, null);
        }
    }

    /** Holds every backend's replies until {@link #resume()}: every fetch from zstor hangs. */
    void stallAll() {
        proxies.forEach(FaultProxy::stall);
    }

    void resume() {
        proxies.forEach(FaultProxy::passThrough);
    }

    String toml() {
        List<String> lines = new ArrayList<>(List.of("minimal_shards = 4", "expected_shards = 6", "redundant_nodes = 2",
                "stripe_size = 1048576", "[encryption]", "algorithm = \"AES\"", "key = \"" + MASTER_KEY + "\"",
                "[meta]", "type = \"zdb\"", "[meta.config]", "prefix = \"fs\""));
        for (int i = 0; i < 3; i++) {
            lines.addAll(List.of("[[meta.config.backends]]", "address = \"127.0.0.1:" + proxies.get(i).port() + "\"",
                    "namespace = \"meta\""));
        }
        lines.add("[[groups]]");
        for (FaultProxy proxy : proxies) {
            lines.addAll(List.of("[[groups.backends]]", "address = \"127.0.0.1:" + proxy.port() + "\""));
        }
        return String.join("\n", lines) + "\n";
    }

    ZstorConfig config() {
        return ZstorConfig.parse(toml());
    }

    Path writeConfig(Path file) throws IOException {
        Files.writeString(file, toml());
        return file;
    }

    @Override
    public void close() throws IOException {
        proxies.forEach(FaultProxy::close);
        for (int i = 0; i < servers.size(); i++) {
            if (servers.get(i) != null) {
                servers.get(i).close();
                servers.set(i, null);
            }
        }
    }
}
