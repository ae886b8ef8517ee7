package dev.quilt.zstor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StripeWriteTest {

    @Test
    void whenEveryWriteEndsNothingIsAbandoned() throws Exception {
        StripeWrite writes = new StripeWrite(3);
        writes.succeeded(0);
        writes.skip(1);
        assertThat(writes.failed(2)).isTrue();
        assertThat(writes.await(2, i -> Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void onceTheQuorumIsInTheRestGetTheirGraceAndAreThenAbandoned() throws Exception {
        StripeWrite writes = new StripeWrite(4);
        writes.succeeded(0);
        writes.succeeded(2);
        assertThat(writes.await(2, i -> TimeUnit.MILLISECONDS.toNanos(1))).containsExactly(1, 3);
        // What an abandoned write ends with is moot.
        assertThat(writes.running(1)).isFalse();
        assertThat(writes.failed(1)).isFalse();
    }

    @Test
    void belowTheQuorumItWaitsForEveryWrite() throws Exception {
        StripeWrite writes = new StripeWrite(3);
        writes.succeeded(0);
        CompletableFuture<List<Integer>> done = CompletableFuture.supplyAsync(() -> {
            try {
                return writes.await(2, i -> 0);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(writes.failed(1)).isTrue();
        // Still one short of the quorum with index 2 running: nothing is abandoned before it ends.
        writes.succeeded(2);
        assertThat(done.get()).isEmpty();
    }
}
