package dev.quilt.zstor;

import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import dev.quilt.zdb.client.ZdbClient;
import dev.quilt.zdb.store.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Real zdb servers on loopback, each with its own directories and behind a {@link LoopbackProxy}, so
 * a test can stop one and start it again with its data while zstor keeps one address for it. Servers run in this JVM, default flags: the default namespace takes user keys.
 */
final class ZdbCluster implements AutoCloseable {

    /** One backend: its server (when running), its directories and the fixed address in front. */
    static final class Node {
        private final Path dir;
        private final LoopbackProxy proxy;
        private ZdbServer server;

        Node(Path dir) throws IOException {
            this.dir = dir;
            this.server = startServer(dir);
            this.proxy = new LoopbackProxy(server.address().orElseThrow().getPort());
        }

        /** The address zstor uses. */
        String address() {
            return "127.0.0.1:" + proxy.port();
        }

        /** Bytes sent to this backend through its address so far (requests: a SET carries its value). */
        long requestBytes() {
            return proxy.requestBytes();
        }

        /** The server's own port, behind the proxy. */
        int serverPort() {
            return server.address().orElseThrow().getPort();
        }

        boolean running() {
            return server != null;
        }

        void stop() {
            if (server != null) {
                try {
                    server.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                server = null;
            }
            proxy.dropConnections();
        }

        void start() {
            if (server == null) {
                try {
                    server = startServer(dir);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                proxy.retarget(server.address().orElseThrow().getPort());
            }
        }

        /** A client straight to the server, bypassing the proxy. */
        ZdbClient client() {
            return ZdbClient.builder("127.0.0.1", server.address().orElseThrow().getPort()).build();
        }

        void close() throws IOException {
            stop();
            proxy.close();
        }

        private static ZdbServer startServer(Path dir) throws IOException {
            ZdbServerConfig config = new ZdbServerConfig(StoreConfig.defaults(dir.resolve("data"), dir.resolve("index")),
                    Optional.of(new InetSocketAddress("127.0.0.1", 0)), Optional.empty(), Optional.empty(), false,
                    Optional.empty(), Optional.empty());
            return ZdbServer.start(config);
        }
    }

    static final String KEY = "4d5b8f2e0a1c3e5f7a9b1d3f5e7c9a0b2d4f6e8a0c2e4a6c8e0a2c4e6a8c0e2a";

    final List<Node> data = new ArrayList<>();
    final List<Node> meta = new ArrayList<>();

    ZdbCluster(Path dir, int dataNodes, int metaNodes) throws IOException {
        for (int i = 0; i < dataNodes; i++) {
            data.add(new Node(dir.resolve("data" + i)));
        }
        for (int i = 0; i < metaNodes; i++) {
            meta.add(new Node(dir.resolve("meta" + i)));
        }
    }

    /**
     * A config over this cluster: the data nodes in groups of {@code groupSize}, every meta node.
     *
     * @param extra top-level TOML lines (stripe_size, write_quorum, ...)
     */
    String config(int k, int n, int groupSize, int redundantGroups, String extra) {
        StringBuilder toml = new StringBuilder();
        toml.append("minimal_shards = ").append(k).append('\n');
        toml.append("expected_shards = ").append(n).append('\n');
        toml.append("redundant_groups = ").append(redundantGroups).append('\n');
        toml.append(extra).append('\n');
        toml.append("[encryption]\nalgorithm = \"AES\"\nkey = \"").append(KEY).append("\"\n");
        toml.append("[meta]\ntype = \"zdb\"\n[meta.config]\nprefix = \"test\"\n");
        toml.append(meta.stream().map(m -> "[[meta.config.backends]]\naddress = \"" + m.address() + "\"\n")
                .collect(Collectors.joining()));
        for (int g = 0; g < data.size(); g += groupSize) {
            toml.append("[[groups]]\n");
            for (int i = g; i < Math.min(data.size(), g + groupSize); i++) {
                toml.append("[[groups.backends]]\naddress = \"").append(data.get(i).address()).append("\"\n");
            }
        }
        return toml.toString();
    }

    /** The data node zstor calls {@code address}. */
    Node dataNode(String address) {
        return data.stream().filter(d -> d.address().equals(address)).findFirst().orElseThrow();
    }

    void startAll() {
        data.forEach(Node::start);
        meta.forEach(Node::start);
    }

    @Override
    public void close() throws IOException {
        for (Node node : data) {
            node.close();
        }
        for (Node node : meta) {
            node.close();
        }
    }
}
