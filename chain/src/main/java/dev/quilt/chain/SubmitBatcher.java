package dev.quilt.chain;

import dev.quilt.common.crypto.Sha256;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * Group commit for submissions: the transactions that reach a validator while its previous batch is
 * on the way to the log go into the log together, as one {@link LogEntry.Batch}. One log entry, one
 * round trip to the leader and one replication then serve many clients, so throughput grows with
 * the number of clients instead of being one round trip per transaction; under light load a batch
 * holds one transaction and costs what a single submission did.
 *
 * <p>One batch is on the way at a time, so the transactions submitted through one validator reach
 * the log in the order they were submitted.
 *
 * <p>Each submitter gets the answer for its own transaction: "queued &lt;hash&gt;" when the reply
 * names it, or an {@link IllegalArgumentException} with the reason a transaction is left out of a
 * batch (its signature does not verify for the chain); a batch refused or lost as a whole fails
 * every transaction in it with the send's exception. Thread-safe.
 */
final class SubmitBatcher implements AutoCloseable {
    /** Most transactions in one batch. */
    static final int MAX_TRANSACTIONS = 1024;
    /** Most encoded transaction bytes in one batch (a single transaction may be up to {@link LogEntry#MAX_TRANSACTION_BYTES}). */
    static final int MAX_BYTES = 256 * 1024;

    private record Queued(SignedTransaction transaction, byte[] encoded, CompletableFuture<String> reply) {}

    private final LinkedBlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    private final Function<LogEntry.Batch, List<String>> send;
    private final String leftOut;
    private final Thread drainer;
    private volatile boolean closed;

    /**
     * @param send    sends a batch to the log and returns its reply, a line "queued &lt;hash&gt;" per
     *                transaction that went in; throws when the whole batch is refused or lost
     * @param leftOut the reason a transaction the reply does not name was left out
     */
    SubmitBatcher(String name, Function<LogEntry.Batch, List<String>> send, String leftOut) {
        this.send = send;
        this.leftOut = leftOut;
        this.drainer = Thread.ofVirtual().name("submit-batcher-" + name).start(this::drain);
    }

    CompletableFuture<String> submit(SignedTransaction transaction) {
        CompletableFuture<String> reply = new CompletableFuture<>();
        if (closed) {
            reply.completeExceptionally(new IllegalStateException("the node is shutting down"));
            return reply;
        }
        queue.add(new Queued(transaction, transaction.encode(), reply));
        return reply;
    }

    private void drain() {
        while (!closed) {
            List<Queued> batch = new ArrayList<>();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            int bytes = batch.getFirst().encoded().length;
            for (Queued next = queue.peek(); next != null && batch.size() < MAX_TRANSACTIONS
                    && bytes + next.encoded().length <= MAX_BYTES; next = queue.peek()) {
                batch.add(queue.poll());
                bytes += next.encoded().length;
            }
            sendAndAnswer(batch);
        }
        failAll(new IllegalStateException("the node is shutting down"));
    }

    private void sendAndAnswer(List<Queued> batch) {
        List<String> answers;
        try {
            answers = send.apply(new LogEntry.Batch(batch.stream().map(Queued::transaction).toList()));
        } catch (RuntimeException e) {
            batch.forEach(q -> q.reply().completeExceptionally(e));
            return;
        }
        // A set, not a list: the same transaction submitted twice is in the batch and the reply twice.
        Set<String> queued = new HashSet<>(answers);
        for (Queued q : batch) {
            String answer = "queued " + Sha256.digest(q.encoded());
            if (queued.contains(answer)) {
                q.reply().complete(answer);
            } else {
                q.reply().completeExceptionally(new IllegalArgumentException(leftOut));
            }
        }
    }

    private void failAll(RuntimeException e) {
        for (Queued q = queue.poll(); q != null; q = queue.poll()) {
            q.reply().completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        drainer.interrupt();
        failAll(new IllegalStateException("the node is shutting down"));
    }
}
