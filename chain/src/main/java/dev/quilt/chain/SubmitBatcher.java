package dev.quilt.chain;

import dev.quilt.common.crypto.Sha256;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
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
 * every transaction in it with the send's exception.
 *
 * <p><b>Bounded.</b> At most {@link #MAX_WAITING} transactions or {@link #MAX_WAITING_BYTES} bytes wait
 * for the log; a submission beyond that fails at once with {@link NodeBusyException}, which the API
 * answers with 503 and {@code Retry-After}. Without the bound a flood of submissions (or a log that
 * stopped accepting, say while the cluster has no leader) would grow the queue until the validator
 * ran out of memory; with it the submitter learns to back off, and nothing it was told is queued is
 * dropped. Thread-safe.
 */
final class SubmitBatcher implements AutoCloseable {
    /** Most transactions in one batch. */
    static final int MAX_TRANSACTIONS = 1024;
    /** Most encoded transaction bytes in one batch (a single transaction may be up to {@link LogEntry#MAX_TRANSACTION_BYTES}). */
    static final int MAX_BYTES = 256 * 1024;
    /** Most transactions waiting for the log: sixteen full batches. */
    static final int MAX_WAITING = 16 * MAX_TRANSACTIONS;
    /** Most encoded bytes waiting for the log: sixteen full batches. */
    static final long MAX_WAITING_BYTES = 16L * MAX_BYTES;

    private record Queued(SignedTransaction transaction, byte[] encoded, CompletableFuture<String> reply) {}

    private final LinkedBlockingQueue<Queued> queue;
    private final AtomicLong waitingBytes = new AtomicLong();
    private final long maxWaitingBytes;
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
        this(name, send, leftOut, MAX_WAITING, MAX_WAITING_BYTES);
    }

    /** With other bounds on what may wait; tests make them small. */
    SubmitBatcher(String name, Function<LogEntry.Batch, List<String>> send, String leftOut, int maxWaiting,
                  long maxWaitingBytes) {
        this.queue = new LinkedBlockingQueue<>(maxWaiting);
        this.maxWaitingBytes = maxWaitingBytes;
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
        byte[] encoded = transaction.encode();
        if (waitingBytes.addAndGet(encoded.length) > maxWaitingBytes) {
            waitingBytes.addAndGet(-encoded.length);
            reply.completeExceptionally(busy());
        } else if (!queue.offer(new Queued(transaction, encoded, reply))) {
            waitingBytes.addAndGet(-encoded.length);
            reply.completeExceptionally(busy());
        }
        return reply;
    }

    private NodeBusyException busy() {
        return new NodeBusyException("the node has " + queue.size() + " transactions (" + waitingBytes.get()
                + " bytes) waiting for the log, its limit; retry shortly");
    }

    /** Takes a queued transaction off the count of what waits. */
    private Queued taken(Queued q) {
        waitingBytes.addAndGet(-q.encoded().length);
        return q;
    }

    private void drain() {
        while (!closed) {
            List<Queued> batch = new ArrayList<>();
            try {
                batch.add(taken(queue.take()));
            } catch (InterruptedException e) {
                break;
            }
            int bytes = batch.getFirst().encoded().length;
            for (Queued next = queue.peek(); next != null && batch.size() < MAX_TRANSACTIONS
                    && bytes + next.encoded().length <= MAX_BYTES; next = queue.peek()) {
                batch.add(taken(queue.poll()));
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
            taken(q).reply().completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        drainer.interrupt();
        failAll(new IllegalStateException("the node is shutting down"));
    }
}
