package dev.quilt.fs;

import dev.quilt.common.crypto.Hash256;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clean chunks on local disk, one file per hash under {@code clean/}, bounded with the dirty bytes by the
 * cache size: the least recently used clean chunks are deleted first (they are all in zstor).
 *
 * <p>A missing chunk is fetched on a virtual thread, at most once however many readers want it
 * (single-flight), and a reader waits for it only up to the fetch timeout. There is no lock around fetches:
 * one slow or failed chunk holds up only the reads of that chunk. Thread-safe.
 */
final class ChunkCache {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkCache.class);

    private final Path dir;
    private final ChunkStore store;
    private final long capacity;
    private final LongSupplier dirtyBytes;
    private final Duration timeout;
    private final String backends;
    private final FsMetrics metrics;
    /** hash → stored length, in recency order; guarded by itself. */
    private final LinkedHashMap<Hash256, Long> lru = new LinkedHashMap<>(16, 0.75f, true);
    private long cleanBytes;
    private final Map<Hash256, CompletableFuture<byte[]>> inFlight = new ConcurrentHashMap<>();
    /** Chunks being read from their files right now, which eviction skips; guarded by {@code lru}. */
    private final Map<Hash256, Integer> pins = new HashMap<>();
    private final Semaphore prefetches = new Semaphore(4);

    /** Makes the cache once the dirty-byte count it shares the capacity with exists. */
    @FunctionalInterface
    interface Factory {
        ChunkCache create(LongSupplier dirtyBytes) throws IOException;
    }

    ChunkCache(Path dir, ChunkStore store, long capacity, LongSupplier dirtyBytes, Duration timeout, String backends,
            FsMetrics metrics) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.store = store;
        this.capacity = capacity;
        this.dirtyBytes = dirtyBytes;
        this.timeout = timeout;
        this.backends = backends;
        this.metrics = metrics;
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            for (Path f : all.stream().sorted(Comparator.comparing(ChunkCache::modified)).toList()) {
                String name = f.getFileName().toString();
                if (name.length() == 64 && name.matches("[0-9a-f]{64}")) {
                    long size = Files.size(f);
                    lru.put(Hash256.fromHex(name), size);
                    cleanBytes += size;
                } else {
                    Files.deleteIfExists(f); // a fetch cut short by a crash
                }
            }
        }
    }

    private static long modified(Path f) {
        try {
            return Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    long cleanBytes() {
        synchronized (lru) {
            return cleanBytes;
        }
    }

    /**
     * Reads {@code dst.remaining()} bytes of the chunk from {@code offset}, zeros past its stored end; fetches
     * it first if needed.
     *
     * @throws IOException (EIO to the caller) when the fetch failed or did not finish within the timeout
     */
    void read(Hash256 hash, long offset, ByteBuffer dst) throws IOException {
        if (pin(hash)) {
            metrics.hits.increment();
            try (FileChannel ch = FileChannel.open(file(hash), StandardOpenOption.READ)) {
                readFully(ch, offset, dst);
            } finally {
                unpin(hash);
            }
            return;
        }
        metrics.misses.increment();
        // the fetched bytes themselves: under pressure the file may be evicted before this reader opens it
        byte[] data = await(hash);
        if (offset < data.length) {
            dst.put(data, (int) offset, (int) Math.min(dst.remaining(), data.length - offset));
        }
        zeroFill(dst);
    }

    /** The chunk's bytes, from the cache or fetched. */
    byte[] get(Hash256 hash) throws IOException {
        if (pin(hash)) {
            try {
                return Files.readAllBytes(file(hash));
            } finally {
                unpin(hash);
            }
        }
        return await(hash);
    }

    /** Whether the chunk is cached; if so it is pinned (not evicted) until {@link #unpin}. */
    private boolean pin(Hash256 hash) {
        synchronized (lru) {
            if (lru.get(hash) == null) {
                return false;
            }
            pins.merge(hash, 1, Integer::sum);
            return true;
        }
    }

    private void unpin(Hash256 hash) {
        synchronized (lru) {
            pins.computeIfPresent(hash, (h, n) -> n == 1 ? null : n - 1);
        }
    }

    /** Starts fetching the chunk unless it is local or on its way; never waits. Skipped when prefetches are busy. */
    void prefetch(Hash256 hash) {
        synchronized (lru) {
            if (lru.containsKey(hash) || inFlight.containsKey(hash)) {
                return;
            }
        }
        if (prefetches.tryAcquire()) {
            fetch(hash).whenComplete((v, e) -> prefetches.release());
        }
    }

    /** Takes a flushed dirty chunk's file into the cache as the clean chunk {@code hash}. */
    void adopt(Hash256 hash, Path file) throws IOException {
        long size = Files.size(file);
        synchronized (lru) {
            if (lru.containsKey(hash)) {
                Files.delete(file);
                return;
            }
            Files.move(file, file(hash), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            lru.put(hash, size);
            cleanBytes += size;
        }
        evict();
    }

    private byte[] await(Hash256 hash) throws IOException {
        CompletableFuture<byte[]> f = fetch(hash);
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.error("event=fs.fetch.timeout chunk={} timeout={} backends=[{}]", hash.hex(), timeout, backends);
            throw new IOException("chunk " + hash.hex() + " not fetched within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching chunk " + hash.hex());
        } catch (ExecutionException e) {
            throw new IOException("chunk " + hash.hex() + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private CompletableFuture<byte[]> fetch(Hash256 hash) {
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> existing = inFlight.putIfAbsent(hash, mine);
        if (existing != null) {
            return existing;
        }
        Thread.ofVirtual().name("fetch-" + hash.hex().substring(0, 12)).start(() -> {
            long start = System.nanoTime();
            try {
                byte[] data = store.get(hash);
                Path tmp = dir.resolve(hash.hex() + ".tmp");
                Files.write(tmp, data);
                synchronized (lru) {
                    Files.move(tmp, file(hash), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    if (lru.put(hash, (long) data.length) == null) {
                        cleanBytes += data.length;
                    }
                }
                metrics.fetches.increment();
                metrics.bytesFetched.add(data.length);
                metrics.fetchMicros.add((System.nanoTime() - start) / 1000);
                evict();
                mine.complete(data);
            } catch (Throwable e) {
                metrics.fetchFailures.increment();
                LOG.error("event=fs.fetch.failed chunk={} backends=[{}] error=\"{}\"", hash.hex(), backends, e.getMessage());
                mine.completeExceptionally(e);
            } finally {
                inFlight.remove(hash, mine);
            }
        });
        return mine;
    }

    /** Deletes the least recently used clean chunks while clean + dirty bytes exceed the capacity. */
    void evict() {
        synchronized (lru) {
            Iterator<Map.Entry<Hash256, Long>> it = lru.entrySet().iterator();
            while (cleanBytes + dirtyBytes.getAsLong() > capacity && it.hasNext()) {
                Map.Entry<Hash256, Long> oldest = it.next();
                if (pins.containsKey(oldest.getKey())) {
                    continue;
                }
                try {
                    Files.deleteIfExists(file(oldest.getKey()));
                } catch (IOException e) {
                    LOG.warn("event=fs.evict.failed chunk={} error=\"{}\"", oldest.getKey().hex(), e.getMessage());
                    continue;
                }
                cleanBytes -= oldest.getValue();
                it.remove();
                metrics.evictions.increment();
            }
        }
    }

    private Path file(Hash256 hash) {
        return dir.resolve(hash.hex());
    }

    /** Reads from {@code offset} until {@code dst} is full or the file ends; the rest of {@code dst} is zeros. */
    static void readFully(FileChannel ch, long offset, ByteBuffer dst) throws IOException {
        long pos = offset;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        zeroFill(dst);
    }

    static void zeroFill(ByteBuffer dst) {
        while (dst.hasRemaining()) {
            dst.put(ZEROS, 0, Math.min(ZEROS.length, dst.remaining()));
        }
    }

    private static final byte[] ZEROS = new byte[64 << 10];
}
