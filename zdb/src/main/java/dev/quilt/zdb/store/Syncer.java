package dev.quilt.zdb.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Forces flushed data to disk on its own thread: group commit for {@link Store#durable()} and the
 * periodic {@code --synctime} fsync.
 *
 * <p><b>Group commit.</b> Callers register a future; the thread takes every waiting future at once,
 * fsyncs every file flushed since the previous round, and completes the whole batch through the owner
 * executor. A caller arriving during an fsync waits for the next round, so N concurrent callers cost
 * two fsyncs at most, not N.
 *
 * <p><b>Concurrency.</b> Thread-safe. {@link #markDirty} and {@link #request} are called from the owner
 * thread after it flushed; {@code waiting} is guarded by {@code lock}. Forcing a channel concurrently with
 * the owner's positional writes is allowed by {@link java.nio.channels.FileChannel}; a channel closed
 * meanwhile was forced by whoever closed it.
 */
final class Syncer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Syncer.class);

    private final Executor owner;
    private final Duration interval;
    private final Set<AppendFile> dirty = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    /** Guarded by {@code lock}. */
    private List<CompletableFuture<Void>> waiting = new ArrayList<>();
    /** Guarded by {@code lock}. */
    private boolean closed;
    private final AtomicLong fsyncs = new AtomicLong();
    private final Thread thread;

    Syncer(Executor owner, Duration interval) {
        this.owner = owner;
        this.interval = interval;
        this.thread = Thread.ofPlatform().name("zdb-syncer").daemon(true).unstarted(this::run);
        thread.start();
    }

    void markDirty(AppendFile file) {
        dirty.add(file);
    }

    /** Completes once everything marked dirty before this call is on disk. */
    void request(CompletableFuture<Void> future) {
        lock.lock();
        try {
            if (closed) {
                future.completeExceptionally(new IOException("store closed"));
                return;
            }
            waiting.add(future);
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    long fsyncs() {
        return fsyncs.get();
    }

    void countFsync() {
        fsyncs.incrementAndGet();
    }

    private void run() {
        while (true) {
            List<CompletableFuture<Void>> batch;
            lock.lock();
            try {
                while (waiting.isEmpty() && !closed) {
                    if (interval.isZero()) {
                        wake.await();
                    } else if (!wake.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                }
                if (closed && waiting.isEmpty()) {
                    return;
                }
                batch = waiting;
                waiting = new ArrayList<>();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            IOException failure = forceAll();
            for (CompletableFuture<Void> f : batch) {
                Runnable complete = () -> {
                    if (failure == null) {
                        f.complete(null);
                    } else {
                        f.completeExceptionally(failure);
                    }
                };
                try {
                    owner.execute(complete);
                } catch (RejectedExecutionException e) {
                    // The owner is shutting down; completing here is better than leaving callers waiting.
                    complete.run();
                }
            }
        }
    }

    /** Forces every dirty file now, on the calling thread. */
    void forceNow() throws IOException {
        IOException failure = forceAll();
        if (failure != null) {
            throw failure;
        }
    }

    private IOException forceAll() {
        IOException failure = null;
        for (AppendFile f : List.copyOf(dirty)) {
            dirty.remove(f);
            try {
                if (f.isDirty()) {
                    f.forceChannel();
                    fsyncs.incrementAndGet();
                }
            } catch (ClosedChannelException e) {
                // Closed by the owner, which forced it first (jump, close) or dropped it (namespace deleted).
            } catch (IOException e) {
                LOG.error("fsync of {} failed", f.path(), e);
                failure = e;
            }
        }
        return failure;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
