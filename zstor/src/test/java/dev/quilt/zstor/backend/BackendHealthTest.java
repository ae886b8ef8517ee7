package dev.quilt.zstor.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BackendHealthTest {

    final AtomicLong now = new AtomicLong();
    final BackendHealth health = new BackendHealth(now::get);

    void call(Duration took, boolean ok) {
        long start = health.start();
        now.addAndGet(took.toNanos());
        if (ok) {
            health.succeeded(start);
        } else {
            health.failed(start, "connection refused");
        }
    }

    @Test
    void aSteadyBackendIsHedgedAtTwiceItsAverageWithinTenMillisToOneSecond() {
        for (int i = 0; i < 100; i++) {
            call(Duration.ofMillis(20), true);
        }
        assertThat(health.latencyNanos()).isBetween(Duration.ofMillis(19).toNanos(), Duration.ofMillis(21).toNanos());
        assertThat(health.hedgeDelayNanos()).isBetween(Duration.ofMillis(38).toNanos(), Duration.ofMillis(42).toNanos());
        for (int i = 0; i < 100; i++) {
            call(Duration.ZERO, true);
        }
        assertThat(health.hedgeDelayNanos()).isEqualTo(Duration.ofMillis(10).toNanos());
        for (int i = 0; i < 100; i++) {
            call(Duration.ofSeconds(2), true);
        }
        assertThat(health.hedgeDelayNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void aBackendWhoseLatencyVariesIsHedgedLater() {
        for (int i = 0; i < 200; i++) {
            call(Duration.ofMillis(i % 2 == 0 ? 5 : 35), true);
        }
        // Average about 20 ms, mean deviation about 15 ms: hedged near 80 ms, not at 40.
        assertThat(health.latencyNanos()).isBetween(Duration.ofMillis(17).toNanos(), Duration.ofMillis(23).toNanos());
        assertThat(health.hedgeDelayNanos()).isBetween(Duration.ofMillis(65).toNanos(), Duration.ofMillis(95).toNanos());
    }

    @Test
    void failuresRankABackendLastUntilOneSuccessResetsIt() {
        BackendHealth fast = new BackendHealth(now::get);
        call(Duration.ofMillis(1), false);
        call(Duration.ofMillis(1), false);
        assertThat(health.healthy()).isFalse();
        assertThat(health.consecutiveFailures()).isEqualTo(2);
        assertThat(health.lastError()).contains("connection refused");
        assertThat(health.rank()).isGreaterThan(fast.rank());

        call(Duration.ofMillis(1), true);
        assertThat(health.healthy()).isTrue();
        assertThat(health.lastError()).isEmpty();
        assertThat(health.rank()).isLessThan(Long.MAX_VALUE / 2);
    }
}
