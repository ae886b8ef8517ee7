package dev.quilt.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
    @Test
    void returnsOnceTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        Await.until(() -> polls.incrementAndGet() >= 3, Duration.ofSeconds(30), () -> "polls=" + polls);
    }

    @Test
    void failureDescribesTheLastStateSeen() {
        assertThatThrownBy(() -> Await.until(() -> false, Duration.ofMillis(50), () -> "queue still has 2 items"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("last state: queue still has 2 items");
    }
}
