package dev.quilt.zdb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import dev.quilt.zdb.client.ZdbClient;
import dev.quilt.zdb.client.ZdbException;
import dev.quilt.zdb.store.StoreConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real zdb on loopback: the commands only zdb has. */
class ZdbClientIT {
    @TempDir
    Path dir;
    private ZdbServer server;
    private ZdbClient client;

    @BeforeEach
    void start() throws Exception {
        ZdbServerConfig config = new ZdbServerConfig(StoreConfig.defaults(dir.resolve("data"), dir.resolve("index")),
                Optional.of(new InetSocketAddress("127.0.0.1", 0)), Optional.empty(), Optional.empty(), false,
                Optional.empty(), Optional.empty());
        try {
            server = ZdbServer.start(config);
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("zdb's server is not implemented yet: " + e.getMessage());
        }
        client = ZdbClient.builder("127.0.0.1", server.address().orElseThrow().getPort()).build();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void setReturnsTheKeyAndScanSeesEveryLiveKeyOnce() {
        for (int i = 0; i < 100; i++) {
            assertThat(client.set("k" + i, "v" + i)).isEqualTo(bytes("k" + i));
        }
        assertThat(client.set("k1", "v1")).isNull();
        assertThat(client.del(bytes("k2"))).isTrue();
        assertThat(client.del(bytes("k2"))).isFalse();
        assertThat(client.scan().map(e -> new String(e.key(), StandardCharsets.UTF_8)).toList())
                .hasSize(99).doesNotHaveDuplicates().doesNotContain("k2");
        assertThat(client.dbsize()).isEqualTo(99);
    }

    @Test
    void historyWalksBackThroughOverwrites() {
        client.set("h", "1");
        client.set("h", "2");
        ZdbClient.HistoryEntry current = client.history(bytes("h")).orElseThrow();
        assertThat(current.value()).isEqualTo(bytes("2"));
        assertThat(client.history(bytes("h"), current.previous()).orElseThrow().value()).isEqualTo(bytes("1"));
    }

    @Test
    void namespacesAreCreatedSelectedAndListed() {
        client.nsnew("tenant");
        assertThat(client.nslist()).containsExactly("default", "tenant");
        client.select("tenant");
        client.set("only-here", "x");
        assertThat(client.nsinfo("tenant")).containsEntry("entries", "1");
        client.select("default");
        assertThat(client.get("only-here")).isNull();
        assertThatThrownBy(() -> client.select("ghost")).isInstanceOf(ZdbException.class).hasMessage("Namespace not found");
    }

    @Test
    void sequentialNamespaceAssignsLittleEndianIds() {
        client.nsnew("seq");
        client.nsset("seq", "mode", "seq");
        client.select("seq");
        long first = client.setNew(bytes("a"));
        long second = client.setNew(bytes("b"));
        assertThat(List.of(first, second)).containsExactly(0L, 1L);
        assertThat(client.get(ZdbClient.seqKey(second))).isEqualTo(bytes("b"));
    }

    @Test
    void keyMetadataCommandsDescribeALiveKeyAndNilForAMissingOne() {
        client.set("m", "12345");
        assertThat(client.exists(bytes("m"))).isTrue();
        assertThat(client.length(bytes("m"))).hasValue(5);
        assertThat(client.keytime(bytes("m"))).isPresent();
        assertThat(client.check(bytes("m"))).isEqualTo(ZdbClient.Check.VALID);
        assertThat(client.keycur(bytes("m")).orElseThrow()).hasSize(17);
        assertThat(client.length(bytes("nope"))).isEmpty();
        assertThat(client.check(bytes("nope"))).isEqualTo(ZdbClient.Check.MISSING);
        assertThat(client.keycur(bytes("nope"))).isEmpty();
        assertThat(client.mget(bytes("m"), bytes("nope"))).containsExactly(bytes("12345"), null);
    }

    @Test
    void scanResumesAfterAKeyCursorAndRscanWalksBackward() {
        for (String k : List.of("a", "b", "c", "d")) {
            client.set(k, k);
        }
        byte[] afterB = client.keycur(bytes("b")).orElseThrow();
        assertThat(client.scan(afterB).map(e -> new String(e.key(), StandardCharsets.UTF_8)).toList()).containsExactly("c", "d");
        assertThat(client.rscan().map(e -> new String(e.key(), StandardCharsets.UTF_8)).toList()).containsExactly("d", "c", "b", "a");
    }

    @Test
    void pipelinedWritesAreAllAppliedAndReadBackInOrder() {
        var pipeline = client.pipeline();
        for (int i = 0; i < 5000; i++) {
            pipeline.set(bytes("p" + i), bytes("v" + i));
        }
        assertThat(pipeline.execute()).hasSize(5000).allSatisfy(reply -> assertThat(reply).isInstanceOf(byte[].class));
        for (int i = 0; i < 5000; i++) {
            pipeline.get(bytes("p" + i));
        }
        List<Object> values = pipeline.execute();
        for (int i = 0; i < 5000; i++) {
            assertThat((byte[]) values.get(i)).isEqualTo(bytes("v" + i));
        }
        assertThat(client.dbsize()).isEqualTo(5000);
    }

    @Test
    void compactAnswersWithASummary() {
        client.set("c", "1");
        client.set("c", "2");
        assertThat(client.command("COMPACT")).isNotNull();
    }

    @Test
    void adminCommandsNeedAuthAndAPasswordedNamespaceNeedsItsPassword() throws Exception {
        ZdbServerConfig guarded = new ZdbServerConfig(StoreConfig.defaults(dir.resolve("gdata"), dir.resolve("gindex")),
                Optional.of(new InetSocketAddress("127.0.0.1", 0)), Optional.empty(), Optional.of("admin-pw"), false,
                Optional.empty(), Optional.empty());
        try (ZdbServer admin = ZdbServer.start(guarded);
             ZdbClient zdb = ZdbClient.builder("127.0.0.1", admin.address().orElseThrow().getPort()).maxConnections(2).build()) {
            assertThatThrownBy(() -> zdb.nsnew("vault")).isInstanceOf(ZdbException.class).hasMessage("Permission denied");
            assertThatThrownBy(() -> zdb.auth("wrong")).isInstanceOf(ZdbException.class).hasMessage("Access denied");
            zdb.auth("admin-pw");
            zdb.nsnew("vault");
            zdb.nsset("vault", "password", "vault-pw");
            zdb.nsset("vault", "public", "0");
            assertThatThrownBy(() -> zdb.select("vault")).isInstanceOf(ZdbException.class).hasMessage("Namespace protected and private");
            zdb.select("vault", "vault-pw");
            var pipeline = zdb.pipeline();
            for (int i = 0; i < 50; i++) {
                pipeline.set(bytes("v" + i), bytes("x"));
            }
            pipeline.execute();
            assertThat(zdb.dbsize()).isEqualTo(50);
            assertThat(zdb.nsinfo("vault")).containsEntry("password", "yes").containsEntry("public", "no");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
