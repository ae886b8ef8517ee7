package dev.quilt.fs;

import dev.quilt.common.crypto.Hash256;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes dirty chunks to zstor in the background, so they become clean and evictable: a chunk once it has
 * not been written for a quiet period (a database rewriting one page many times uploads it once), every
 * dirty chunk when they take more than half the cache. A chunk written while it was uploading stays dirty
 * and is taken again later.
 */
final class Flusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);
    private static final int BATCH = 16;
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final FsTree tree;
    private final ChunkStore store;
    private final FsMetrics metrics;
    private final long capacity;
    private final Duration quiet;
    private final Object wake = new Object();
    private volatile boolean running = true;
    private final Thread thread;

    Flusher(FsTree tree, ChunkStore store, FsMetrics metrics, long capacity, Duration quiet) {
        this.tree = tree;
        this.store = store;
        this.metrics = metrics;
        this.capacity = capacity;
        this.quiet = quiet;
        this.thread = Thread.ofVirtual().name("fs-flusher").start(this::loop);
    }

    /** Asks for a round now. */
    void kick() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void loop() {
        while (running) {
            try {
                boolean pressure = tree.dirtyBytes() > capacity / 2;
                int done = flush(tree.flushCandidates(quiet.toNanos(), pressure, BATCH));
                if (done == 0) {
                    synchronized (wake) {
                        wake.wait(Math.max(50, quiet.toMillis() / 4));
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("event=fs.flush.failed error=\"{}\"", e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Flushes these chunks; returns how many became clean. */
    int flush(List<FsTree.ChunkId> ids) throws IOException {
        int done = 0;
        for (FsTree.ChunkId id : ids) {
            Optional<FsTree.Pending> pending = tree.take(id);
            if (pending.isEmpty()) {
                continue;
            }
            byte[] data = pending.get().data();
            Optional<Hash256> hash = Optional.empty();
            if (!ChunkStore.isZero(data, data.length)) {
                Hash256 h = FsTree.hashOf(data);
                store.put(h, data, data.length);
                hash = Optional.of(h);
            }
            if (tree.flushed(pending.get(), hash)) {
                done++;
                metrics.flushed.increment();
                metrics.flushedBytes.add(data.length);
            }
        }
        return done;
    }

    /**
     * Holds a writer while dirty bytes exceed the cache, so local disk stays bounded when writes outrun
     * uploads; gives up after {@code MAX_WAIT} (zstor unreachable) and lets the write through, logged.
     */
    void awaitRoom() {
        if (tree.dirtyBytes() <= capacity) {
            return;
        }
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        kick();
        while (tree.dirtyBytes() > capacity && running) {
            if (System.nanoTime() > deadline) {
                LOG.warn("event=fs.dirty_over_cache dirty_bytes={} cache_bytes={} waited={}", tree.dirtyBytes(), capacity, MAX_WAIT);
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Flushes until nothing is dirty (seal, unmount). */
    void flushAll() throws IOException {
        while (tree.hasDirty()) {
            flush(tree.flushCandidates(0, true, Integer.MAX_VALUE));
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
