package dev.quilt.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsHttpServerTest {

    @Test
    void servesCountersAndGaugesInPrometheusTextFormat() throws Exception {
        MetricsRegistry registry = new MetricsRegistry();
        registry.counter("zdb_commands_total", "Commands executed", "command", "GET").add(3);
        registry.counter("zdb_commands_total", "Commands executed", "command", "SET").increment();
        registry.gauge("zdb_connections", "Open connections", () -> 7);
        try (MetricsHttpServer server = MetricsHttpServer.start(new InetSocketAddress("127.0.0.1", 0), registry)) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("""
                    # HELP zdb_commands_total Commands executed
                    # TYPE zdb_commands_total counter
                    zdb_commands_total{command="GET"} 3
                    zdb_commands_total{command="SET"} 1
                    # HELP zdb_connections Open connections
                    # TYPE zdb_connections gauge
                    zdb_connections 7
                    """);
        }
    }

    @Test
    void returnsTheSameCounterForTheSameSeries() {
        MetricsRegistry registry = new MetricsRegistry();
        assertThat(registry.counter("a_total", "a")).isSameAs(registry.counter("a_total", "a"));
    }
}
