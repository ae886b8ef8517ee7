package dev.quilt.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.quilt.testkit.Await;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the owner sees of a checked process as its probes pass and fail: real probes of a real server. */
class HealthMonitorTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final WorkloadResult RUNNING = new WorkloadResult("web", 1, WorkloadResult.State.OK, "running (start 1)", null,
            new TreeMap<>(), 0);
    final AtomicInteger status = new AtomicInteger(503);
    HttpServer server;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/", x -> {
            x.sendResponseHeaders(status.get(), -1);
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    HealthMonitor monitor(Duration startPeriod) {
        return new HealthMonitor("test", new HealthCheck.Http("web", HealthCheck.Method.GET, "/", "", 200,
                java.util.Optional.empty(), java.util.Optional.empty(),
                new HealthCheck.Timing(startPeriod, Duration.ofMillis(100), Duration.ofSeconds(5))), "127.0.0.1",
                server.getAddress().getPort());
    }

    @Test
    void initUntilAProbePassesThenHealthyThenUnhealthyWithTheReason() {
        try (HealthMonitor m = monitor(Duration.ofMinutes(10))) {
            m.started();
            Await.until(() -> m.judge(RUNNING).message().equals("waiting for health check (status 503 (expected 200))"), TIMEOUT,
                    () -> m.judge(RUNNING).toString());
            assertThat(m.judge(RUNNING).state()).isEqualTo(WorkloadResult.State.INIT);
            assertThat(m.judge(RUNNING).health()).isEqualTo("starting");
            status.set(200);
            Await.until(() -> m.judge(RUNNING).state() == WorkloadResult.State.OK, TIMEOUT, () -> m.judge(RUNNING).toString());
            assertThat(m.judge(RUNNING).health()).isEqualTo("healthy");
            assertThat(m.judge(RUNNING).message()).isEqualTo("running (start 1)");
            // Failing within the start period: unhealthy, still ok.
            status.set(500);
            Await.until(() -> m.judge(RUNNING).health().startsWith("unhealthy"), TIMEOUT, () -> m.judge(RUNNING).toString());
            assertThat(m.judge(RUNNING).health()).isEqualTo("unhealthy: status 500 (expected 200)");
            assertThat(m.judge(RUNNING).state()).isEqualTo(WorkloadResult.State.OK);
            // A restart starts the judgement over: starting again until a probe passes (none will: 500).
            m.started();
            assertThat(m.judge(RUNNING).state()).isEqualTo(WorkloadResult.State.INIT);
            assertThat(m.judge(RUNNING).message()).startsWith("waiting for health check (");
            assertThat(m.judge(RUNNING).health()).isEqualTo("starting");
        }
    }

    @Test
    void afterTheStartPeriodAFailingProbeIsAnError() {
        try (HealthMonitor m = monitor(Duration.ZERO)) {
            m.started();
            Await.until(() -> m.judge(RUNNING).state() == WorkloadResult.State.ERROR, TIMEOUT, () -> m.judge(RUNNING).toString());
            assertThat(m.judge(RUNNING).message()).isEqualTo("health check failing: status 503 (expected 200)");
            status.set(200);
            Await.until(() -> m.judge(RUNNING).state() == WorkloadResult.State.OK, TIMEOUT, () -> m.judge(RUNNING).toString());
            status.set(503);
            Await.until(() -> m.judge(RUNNING).state() == WorkloadResult.State.ERROR, TIMEOUT, () -> m.judge(RUNNING).toString());
            assertThat(m.judge(RUNNING).health()).isEqualTo("unhealthy: status 503 (expected 200)");
        }
    }
}
