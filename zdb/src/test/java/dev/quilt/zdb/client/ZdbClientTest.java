package dev.quilt.zdb.client;

import static dev.quilt.zdb.client.ScriptedServer.bulk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The client against scripted zdb replies: reply shapes only 0-db produces. */
class ZdbClientTest {
    private static final String CURSOR_1 = "C".repeat(17);
    private static final String CURSOR_2 = "D".repeat(17);

    @Test
    void setReturnsTheStoredKeyAndNullWhenTheValueWasUnchanged() throws Exception {
        try (var server = server(r -> r.get(2).equals("same") ? "$-1\r\n" : bulk(r.get(1)));
             ZdbClient zdb = client(server)) {
            assertThat(zdb.set("k", "v")).isEqualTo(bytes("k"));
            assertThat(zdb.set("k", "same")).isNull();
        }
    }

    @Test
    void sequentialIdsAreEightByteLittleEndian() throws Exception {
        byte[] id = ZdbClient.seqKey(258);
        assertThat(id).containsExactly(2, 1, 0, 0, 0, 0, 0, 0);
        assertThat(ZdbClient.seqId(id)).isEqualTo(258);
        try (var server = server(r -> r.get(1).isEmpty() ? bulk("\u0005\0\0\0\0\0\0\0") : "-Invalid key, only update authorized\r\n");
             ZdbClient zdb = client(server)) {
            assertThat(zdb.setNew(bytes("v"))).isEqualTo(5);
            assertThatThrownBy(() -> zdb.set("x", "v"))
                    .isInstanceOf(ZdbException.class)
                    .hasMessage("Invalid key, only update authorized");
        }
    }

    @Test
    void scanStreamFollowsCursorsUntilNoMoreData() throws Exception {
        Function<List<String>, String> script = r -> switch (r.size() == 1 ? "" : r.get(1)) {
            case "" -> "*2\r\n" + bulk(CURSOR_1) + "*2\r\n" + entry("a", 1, 100) + entry("b", 2, 101);
            case String c when c.equals(CURSOR_1) -> "*2\r\n" + bulk(CURSOR_2) + "*1\r\n" + entry("c", 3, 102);
            default -> "-No more data\r\n";
        };
        try (var server = server(script); ZdbClient zdb = client(server)) {
            List<String> keys = zdb.scan().map(e -> new String(e.key(), StandardCharsets.UTF_8) + "/" + e.length()).toList();
            assertThat(keys).containsExactly("a/1", "b/2", "c/3");
            assertThat(server.requests.getLast()).containsExactly("SCAN", CURSOR_2);
            assertThat(zdb.scan().findFirst().orElseThrow().timestamp()).isEqualTo(Instant.ofEpochSecond(100));
        }
    }

    @Test
    void scanOfAnEmptyNamespaceIsAnEmptyStream() throws Exception {
        try (var server = server(r -> "-No more data\r\n"); ZdbClient zdb = client(server)) {
            assertThat(zdb.scan()).isEmpty();
            assertThat(zdb.scanBatch(null)).isEmpty();
        }
    }

    @Test
    void historyReturnsTheVersionAndTheReferenceToThePreviousOne() throws Exception {
        Function<List<String>, String> script = r -> r.size() == 2
                ? "*3\r\n" + bulk("\u0000\u0000\u0000\u0000\u001d\u0000\u0000\u0000") + bulk("1700000000") + bulk("v2")
                : "*3\r\n$-1\r\n" + bulk("1600000000") + bulk("v1");
        try (var server = server(script); ZdbClient zdb = client(server)) {
            ZdbClient.HistoryEntry current = zdb.history(bytes("k")).orElseThrow();
            assertThat(current.value()).isEqualTo(bytes("v2"));
            assertThat(current.timestamp()).isEqualTo(Instant.ofEpochSecond(1700000000));
            ZdbClient.HistoryEntry oldest = zdb.history(bytes("k"), current.previous()).orElseThrow();
            assertThat(oldest.value()).isEqualTo(bytes("v1"));
            assertThat(oldest.previous()).isNull();
        }
    }

    @Test
    void nilAndKeyNotFoundBecomeEmptyResults() throws Exception {
        Function<List<String>, String> script = r -> switch (r.getFirst()) {
            case "DEL", "KEYCUR", "HISTORY" -> "-Key not found\r\n";
            default -> "$-1\r\n";
        };
        try (var server = server(script); ZdbClient zdb = client(server)) {
            byte[] k = bytes("k");
            assertThat(zdb.get(k)).isNull();
            assertThat(zdb.length(k)).isEqualTo(OptionalLong.empty());
            assertThat(zdb.keytime(k)).isEmpty();
            assertThat(zdb.check(k)).isEqualTo(ZdbClient.Check.MISSING);
            assertThat(zdb.keycur(k)).isEmpty();
            assertThat(zdb.history(k)).isEmpty();
            assertThat(zdb.del(k)).isFalse();
        }
    }

    @Test
    void nsinfoAndInfoAreParsedIntoOrderedFields() throws Exception {
        String nsinfo = "# namespace\nname: default\nentries: 3\npublic: yes\n";
        try (var server = server(r -> bulk(nsinfo)); ZdbClient zdb = client(server)) {
            assertThat(zdb.nsinfo("default")).containsExactly(
                    java.util.Map.entry("name", "default"), java.util.Map.entry("entries", "3"), java.util.Map.entry("public", "yes"));
        }
    }

    @Test
    void selectIsReplayedOnEveryPooledConnectionBeforeUse() throws Exception {
        try (var server = server(r -> r.getFirst().equals("SELECT") ? "+OK\r\n" : "$-1\r\n");
             ZdbClient zdb = ZdbClient.builder("127.0.0.1", server.port()).maxConnections(2).build()) {
            zdb.select("tenant", "secret");
            // hold one connection busy so the next call has to open a second one
            List<Thread> callers = List.of(
                    Thread.ofVirtual().start(() -> zdb.pipeline().get(bytes("a")).get(bytes("b")).execute()),
                    Thread.ofVirtual().start(() -> zdb.get(bytes("c"))));
            for (Thread caller : callers) {
                caller.join();
            }
            for (int i = 0; i < server.requests.size(); i++) {
                if (server.requests.get(i).getFirst().equals("GET")) {
                    int connection = server.connectionOfRequest.get(i);
                    assertThat(selectsOn(server, connection, i)).as("connection %d selected before GET", connection)
                            .contains(List.of("SELECT", "tenant", "secret"));
                }
            }
        }
    }

    @Test
    void refusedSelectDoesNotChangeTheSession() throws Exception {
        Function<List<String>, String> script = r -> r.getFirst().equals("SELECT")
                ? (r.get(1).equals("ghost") ? "-Namespace not found\r\n" : "+OK\r\n")
                : "$-1\r\n";
        try (var server = server(script); ZdbClient zdb = client(server)) {
            assertThatThrownBy(() -> zdb.select("ghost")).isInstanceOf(ZdbException.class).hasMessage("Namespace not found");
            zdb.get(bytes("k"));
            assertThat(server.requests.getLast()).containsExactly("GET", "k");
            assertThat(server.requests).doesNotContain(List.of("SELECT", "default"));
        }
    }

    @Test
    void pipelineSendsAllCommandsAndReturnsErrorsAsElements() throws Exception {
        Function<List<String>, String> script = r -> r.getFirst().equals("DEL") ? "-Key not found\r\n" : bulk(r.get(1));
        try (var server = server(script); ZdbClient zdb = client(server)) {
            List<Object> replies = zdb.pipeline().set(bytes("a"), bytes("1")).del(bytes("zz")).get(bytes("b")).execute();
            assertThat(replies).hasSize(3);
            assertThat((byte[]) replies.get(0)).isEqualTo(bytes("a"));
            assertThat(replies.get(1)).isInstanceOf(ZdbException.class).hasFieldOrPropertyWithValue("message", "Key not found");
            assertThat((byte[]) replies.get(2)).isEqualTo(bytes("b"));
        }
    }

    @Test
    void aPeerThatClosesMidReplyFailsTheCallAndTheNextCallUsesAFreshConnection() throws Exception {
        Function<List<String>, String> script = r -> r.getFirst().equals("GET") && r.get(1).equals("bad") ? null : "+PONG\r\n";
        try (var server = server(script); ZdbClient zdb = client(server)) {
            assertThatThrownBy(() -> zdb.get(bytes("bad"))).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("connection closed by 127.0.0.1:");
            assertThat(zdb.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void aSilentServerFailsTheCallWithTheReadTimeout() throws Exception {
        try (var server = server(r -> r.getFirst().equals("PING") ? "+PONG\r\n" : "");
             ZdbClient zdb = ZdbClient.builder("127.0.0.1", server.port()).readTimeout(Duration.ofMillis(200)).build()) {
            assertThatThrownBy(() -> zdb.get(bytes("k"))).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("Read timed out");
        }
    }

    @Test
    void afterTheServerDropsEveryConnectionOnlyOneCallFails() throws Exception {
        java.util.concurrent.CountDownLatch allBusy = new java.util.concurrent.CountDownLatch(3);
        Function<List<String>, String> script = r -> {
            if (r.getFirst().equals("HOLD")) {
                allBusy.countDown();
                try {
                    allBusy.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return "+OK\r\n";
        };
        try (var server = server(script); ZdbClient zdb = ZdbClient.builder("127.0.0.1", server.port()).maxConnections(3).build()) {
            List<Thread> holders = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                holders.add(Thread.ofVirtual().start(() -> zdb.command("HOLD")));
            }
            for (Thread holder : holders) {
                holder.join();
            }
            server.dropConnections();
            assertThatThrownBy(zdb::ping).isInstanceOf(UncheckedIOException.class);
            assertThat(zdb.ping()).isEqualTo("PONG");
            assertThat(zdb.command("AFTER")).isEqualTo("OK");
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aLargePipelineToAServerThatStopsReadingFailsInsteadOfHanging() throws Exception {
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        Function<List<String>, String> script = r -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        };
        try (var server = server(script);
             ZdbClient zdb = ZdbClient.builder("127.0.0.1", server.port()).readTimeout(Duration.ofMillis(500)).build()) {
            byte[] megabyte = new byte[1 << 20];
            ZdbPipeline pipeline = zdb.pipeline();
            for (int i = 0; i < 32; i++) {
                pipeline.set(bytes("k" + i), megabyte);
            }
            assertThatThrownBy(pipeline::execute).isInstanceOf(UncheckedIOException.class).hasMessageContaining("Read timed out");
        } finally {
            never.countDown();
        }
    }

    private static List<List<String>> selectsOn(ScriptedServer server, int connection, int before) {
        List<List<String>> selects = new java.util.ArrayList<>();
        for (int i = 0; i < before; i++) {
            if (server.connectionOfRequest.get(i) == connection && server.requests.get(i).getFirst().equals("SELECT")) {
                selects.add(server.requests.get(i));
            }
        }
        return selects;
    }

    private static String entry(String key, long length, long ts) {
        return "*3\r\n" + bulk(key) + ":" + length + "\r\n:" + ts + "\r\n";
    }

    private static ScriptedServer server(Function<List<String>, String> script) throws Exception {
        return new ScriptedServer(r -> r.getFirst().equals("PING") ? "+PONG\r\n" : script.apply(r));
    }

    private static ZdbClient client(ScriptedServer server) {
        return ZdbClient.builder("127.0.0.1", server.port()).build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

}
