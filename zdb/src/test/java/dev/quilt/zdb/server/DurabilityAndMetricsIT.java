package dev.quilt.zdb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurabilityAndMetricsIT {

    @TempDir
    Path dir;

    private static String pipeline(int client, int count) {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String key = "c" + client + "k" + i;
            batch.append("*3\r\n$3\r\nSET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n$1\r\nv\r\n");
            batch.append("*2\r\n$3\r\nGET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n");
        }
        return batch.toString();
    }

    @Test
    void syncModeAnswersConcurrentPipelinedWritersInOrder() throws Exception {
        try (ServerFixture zdb = new ServerFixture(dir).sync().start();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> results = new ArrayList<>();
            for (int client = 0; client < 4; client++) {
                RawClient c = zdb.client();
                int id = client;
                results.add(pool.submit(() -> {
                    c.sendRaw(pipeline(id, 50));
                    StringBuilder replies = new StringBuilder();
                    for (int i = 0; i < 100; i++) {
                        replies.append(c.reply());
                    }
                    return replies.toString();
                }));
            }
            for (int client = 0; client < 4; client++) {
                StringBuilder expected = new StringBuilder();
                for (int i = 0; i < 50; i++) {
                    String key = "c" + client + "k" + i;
                    expected.append('$').append(key.length()).append("\r\n").append(key).append("\r\n$1\r\nv\r\n");
                }
                assertThat(results.get(client).get()).isEqualTo(expected.toString());
            }
            assertThat(zdb.client().call("DBSIZE")).isEqualTo(":200\r\n");
        }
    }

    @Test
    void acknowledgedWritesSurviveARestart() throws Exception {
        try (ServerFixture zdb = new ServerFixture(dir).start()) {
            RawClient c = zdb.client();
            c.sendRaw(pipeline(0, 20));
            for (int i = 0; i < 40; i++) {
                c.reply();
            }
        }
        try (ServerFixture zdb = new ServerFixture(dir).start()) {
            assertThat(zdb.client().call("DBSIZE")).isEqualTo(":20\r\n");
        }
    }

    @Test
    void exportsPerCommandCountersAndConnectionsInPrometheusFormat() throws Exception {
        try (ServerFixture zdb = new ServerFixture(dir).metrics().start()) {
            RawClient c = zdb.client();
            c.call("SET", "k", "v");
            c.call("GET", "k");
            c.call("DEL", "missing");
            URI uri = URI.create("http://127.0.0.1:" + zdb.server().metricsAddress().orElseThrow().getPort() + "/metrics");
            HttpClient http = HttpClient.newHttpClient();
            String body = Poll.until(() -> {
                try {
                    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, b -> b.contains("zdb_keys 1"), "the key gauge to be sampled");
            assertThat(body).contains("zdb_commands_total{command=\"SET\"} 1\n", "zdb_commands_total{command=\"GET\"} 1\n",
                    "zdb_commands_failed_total{command=\"DEL\"} 1\n", "zdb_connections 1\n", "# TYPE zdb_fsyncs_total counter\n",
                    "zdb_network_rx_bytes_total ", "# TYPE zdb_busy_poll_microseconds_total counter\n",
                    "# TYPE zdb_busy_poll_fruitless_total counter\n");
        }
    }
}
