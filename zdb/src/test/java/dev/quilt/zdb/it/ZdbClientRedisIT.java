package dev.quilt.zdb.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.zdb.client.ZdbClient;
import dev.quilt.zdb.client.ZdbException;
import dev.quilt.zdb.client.ZdbPipeline;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import dev.quilt.testkit.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real redis-server, for what zdb and Redis answer alike. */
class ZdbClientRedisIT {
    @TempDir
    Path dir;
    private RedisServerProcess redis;
    private ZdbClient client;

    @BeforeEach
    void start() {
        redis = RedisServerProcess.start(dir);
        client = ZdbClient.builder("127.0.0.1", redis.port()).maxConnections(4).build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        client.close();
        redis.close();
    }

    @Test
    void plainCommandsRoundTripAndNilIsNull() {
        assertThat(client.ping()).isEqualTo("PONG");
        assertThat(client.command("SET", "k", "v")).isEqualTo("OK");
        assertThat(client.get("k")).isEqualTo(bytes("v"));
        assertThat(client.get("missing")).isNull();
        assertThat(client.mget(bytes("k"), bytes("missing"))).containsExactly(bytes("v"), null);
        assertThat(client.exists(bytes("k"))).isTrue();
        assertThat(client.dbsize()).isEqualTo(1);
        assertThat(client.info()).containsKey("redis_version");
    }

    @Test
    void serverErrorCarriesTheServersMessageAndTheConnectionStaysUsable() {
        assertThatThrownBy(() -> client.command("NOSUCHCOMMAND"))
                .isInstanceOf(ZdbException.class)
                .hasMessageStartingWith("ERR unknown command 'NOSUCHCOMMAND'");
        assertThat(client.ping()).isEqualTo("PONG");
    }

    @Test
    void pipelineOfThousandsOfCommandsReturnsEveryReplyInOrder() {
        byte[] big = new byte[1024];
        Arrays.fill(big, (byte) 'x');
        ZdbPipeline pipeline = client.pipeline();
        for (int i = 0; i < 2000; i++) {
            pipeline.command(bytes("SET"), bytes("key" + i), big);
        }
        assertThat(pipeline.execute()).hasSize(2000).containsOnly("OK");
        for (int i = 0; i < 2000; i++) {
            pipeline.get(bytes("key" + i));
        }
        List<Object> values = pipeline.execute();
        assertThat(values).hasSize(2000).allSatisfy(v -> assertThat((byte[]) v).isEqualTo(big));
        assertThat(pipeline.size()).isZero();
    }

    @Test
    void manyVirtualThreadsShareAFewPooledConnections() throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                String key = "t" + i;
                results.add(threads.submit(() -> {
                    client.command("SET", key, key);
                    return client.get(key);
                }));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(bytes("t" + i));
            }
        }
        Object clients = client.command("CLIENT", "LIST");
        long connections = new String((byte[]) clients, StandardCharsets.UTF_8).lines().count();
        assertThat(connections).isLessThanOrEqualTo(4);
    }

    @Test
    void authIsAppliedToEveryConnection() throws Exception {
        try (RedisServerProcess guarded = RedisServerProcess.start(Files.createDirectories(dir.resolve("guarded")), "--requirepass", "pw");
             ZdbClient zdb = ZdbClient.builder("127.0.0.1", guarded.port()).adminPassword("pw").maxConnections(2).build()) {
            ZdbPipeline pipeline = zdb.pipeline().command("SET", "a", "1");
            assertThat(pipeline.execute()).containsExactly("OK");
            assertThat(zdb.get("a")).isEqualTo(bytes("1"));
        }
    }

    @Test
    void refusedConnectionIsAnIoFailureNamingThePeer() {
        int port = FreePorts.next();
        assertThatThrownBy(() -> ZdbClient.builder("127.0.0.1", port).connectTimeout(Duration.ofSeconds(5)).build())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot connect to 127.0.0.1:" + port + ": Connection refused");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
