package dev.quilt.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One probe against a real HTTP server on loopback: passes, or names why not. */
class HealthProbeTest {
    static final HealthCheck.Timing TIMING = new HealthCheck.Timing(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(5));
    final HealthProbe probe = new HealthProbe();
    final AtomicReference<String> lastBody = new AtomicReference<>();
    HttpServer server;
    int port;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/json_rpc", x -> {
            lastBody.set(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            reply(x, 200, "{\"result\":{\"status\":\"OK\",\"height\":12}}");
        });
        server.createContext("/busy", x -> reply(x, 200, "{\"result\":{\"status\":\"BUSY\"}}"));
        server.createContext("/text", x -> reply(x, 200, "fine"));
        server.createContext("/broken", x -> reply(x, 503, "{}"));
        server.start();
        port = server.getAddress().getPort();
    }

    static void reply(com.sun.net.httpserver.HttpExchange x, int status, String body) throws java.io.IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    static HealthCheck.Http post(String path, String pointer, String value) {
        return new HealthCheck.Http("rpc", HealthCheck.Method.POST, path, "{\"method\":\"get_info\"}", 200,
                Optional.ofNullable(pointer), Optional.ofNullable(value), TIMING);
    }

    @Test
    void aPostWithTheExpectedValuePasses() throws Exception {
        assertThat(probe.probe(post("/json_rpc", "/result/status", "OK"), "127.0.0.1", port)).isEmpty();
        assertThat(lastBody.get()).isEqualTo("{\"method\":\"get_info\"}");
        // Numbers compare as their text; a pointer without a value only needs something there.
        assertThat(probe.probe(post("/json_rpc", "/result/height", "12"), "127.0.0.1", port)).isEmpty();
        assertThat(probe.probe(post("/json_rpc", "/result", null), "127.0.0.1", port)).isEmpty();
    }

    @Test
    void eachFailureSaysWhy() throws Exception {
        assertThat(probe.probe(post("/busy", "/result/status", "OK"), "127.0.0.1", port))
                .contains("/result/status is \"BUSY\" (expected \"OK\")");
        assertThat(probe.probe(post("/json_rpc", "/result/missing", "OK"), "127.0.0.1", port)).contains("no value at /result/missing");
        assertThat(probe.probe(post("/text", "/status", "OK"), "127.0.0.1", port)).contains("the answer is not JSON");
        assertThat(probe.probe(HealthCheck.Http.get("rpc", "/broken"), "127.0.0.1", port)).contains("status 503 (expected 200)");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThat(probe.probe(HealthCheck.Http.get("rpc", "/"), "127.0.0.1", closed))
                .contains("connection refused by 127.0.0.1:" + closed);
        assertThat(probe.probe(new HealthCheck.Tcp("rpc", TIMING), "127.0.0.1", closed))
                .contains("connection refused by 127.0.0.1:" + closed);
        assertThat(probe.probe(new HealthCheck.Tcp("rpc", TIMING), "127.0.0.1", port)).isEmpty();
    }
}
