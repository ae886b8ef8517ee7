package dev.quilt.chain;

import static dev.quilt.chain.TestGrid.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.common.crypto.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SubmitBatcherTest {

    /** A log that takes batches only once {@code open} is counted down, and records what it took. */
    private static final class GatedLog {
        final CountDownLatch open = new CountDownLatch(1);
        final CountDownLatch firstArrived = new CountDownLatch(1);
        final List<SignedTransaction> logged = new CopyOnWriteArrayList<>();

        List<String> send(LogEntry.Batch batch) {
            firstArrived.countDown();
            try {
                open.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            logged.addAll(batch.transactions());
            return batch.transactions().stream().map(tx -> "queued " + Sha256.digest(tx.encode())).toList();
        }
    }

    private static SignedTransaction transfer(long nonce) {
        return SignedTransaction.sign(key(3), "quilt-test", nonce, 100, new Transaction.Transfer(key(2).publicKey(), 1));
    }

    @Test
    void beyondTheBoundASubmissionIsRefusedAtOnceAndEverythingQueuedReachesTheLog() throws Exception {
        GatedLog log = new GatedLog();
        try (SubmitBatcher batcher = new SubmitBatcher("test", log::send, "left out", 4, Long.MAX_VALUE)) {
            CompletableFuture<String> first = batcher.submit(transfer(1));
            assertThat(log.firstArrived.await(10, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<String>> waiting = new ArrayList<>();
            for (long nonce = 2; nonce <= 5; nonce++) {
                waiting.add(batcher.submit(transfer(nonce)));
            }
            CompletableFuture<String> refused = batcher.submit(transfer(6));

            assertThat(refused).isCompletedExceptionally();
            assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(NodeBusyException.class)
                    .hasMessage("the node has 4 transactions (" + 4 * transfer(2).encode().length
                            + " bytes) waiting for the log, its limit; retry shortly");
            assertThat(waiting).noneMatch(CompletableFuture::isDone);

            log.open.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("queued " + Sha256.digest(transfer(1).encode()));
            for (CompletableFuture<String> reply : waiting) {
                assertThat(reply.get(10, TimeUnit.SECONDS)).startsWith("queued ");
            }
            assertThat(log.logged).extracting(SignedTransaction::nonce).containsExactly(1L, 2L, 3L, 4L, 5L);
            // Once the queue drained, the refused transaction is welcome again.
            assertThat(batcher.submit(transfer(6)).get(10, TimeUnit.SECONDS)).startsWith("queued ");
        }
    }

    @Test
    void theByteBoundRefusesToo() throws Exception {
        GatedLog log = new GatedLog();
        int size = transfer(1).encode().length;
        try (SubmitBatcher batcher = new SubmitBatcher("test", log::send, "left out", 1000, 2L * size)) {
            CompletableFuture<String> first = batcher.submit(transfer(1));
            assertThat(log.firstArrived.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<String> second = batcher.submit(transfer(2));
            CompletableFuture<String> third = batcher.submit(transfer(3));
            CompletableFuture<String> refused = batcher.submit(transfer(4));

            assertThatThrownBy(refused::get).cause().isInstanceOf(NodeBusyException.class);
            log.open.countDown();
            for (CompletableFuture<String> reply : List.of(first, second, third)) {
                assertThat(reply.get(10, TimeUnit.SECONDS)).startsWith("queued ");
            }
        }
    }
}
