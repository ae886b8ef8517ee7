package dev.quilt.fs;

import dev.quilt.zstor.ObjectNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease in zstor that keeps {@link ChunkGc} from sweeping while it is held. Whoever may reference chunks
 * no snapshot name references yet (a snapshot being created, a mount flushing copy-on-write chunks) holds a
 * writer lease, {@code lease/writer-<id>}; a collection holds {@code lease/gc}. Each side stores its own
 * lease and then looks for the other's, so of a writer and a collection that start together at least one
 * sees the other: the writer waits for the collection to end, the collection refuses to start. A lease is
 * its expiry time; a virtual thread renews it every third of {@link #TTL}, so one whose holder crashed lapses
 * and is then ignored (and deleted by the next collection). Clocks of the machines sharing a zstor are
 * assumed to agree within a small part of the TTL.
 */
public final class WriteLease implements AutoCloseable {
    /** How long a lease outlives its holder's last renewal. */
    public static final Duration TTL = Duration.ofMinutes(2);
    static final String GC_KEY = "lease/gc";
    static final String WRITER_PREFIX = "lease/writer-";
    private static final Logger LOG = LoggerFactory.getLogger(WriteLease.class);

    private final ChunkStore store;
    private final String key;
    private final Clock clock;
    private final Thread renewer;
    private volatile boolean closed;

    private WriteLease(ChunkStore store, String key, Clock clock) throws IOException {
        this.store = store;
        this.key = key;
        this.clock = clock;
        renew();
        this.renewer = Thread.ofVirtual().name("lease-" + key).start(this::renewLoop);
    }

    /**
     * Takes a writer lease, waiting while a collection runs.
     *
     * @param wait how long to wait for a running collection to end
     * @throws IOException when a collection still holds its lease after {@code wait}
     */
    public static WriteLease writer(ChunkStore store, Duration wait) throws IOException {
        return writer(store, wait, Clock.systemUTC());
    }

    static WriteLease writer(ChunkStore store, Duration wait, Clock clock) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            WriteLease lease = new WriteLease(store, WRITER_PREFIX + UUID.randomUUID(), clock);
            long gcUntil;
            try {
                gcUntil = expiry(store, GC_KEY);
            } catch (IOException | RuntimeException e) {
                lease.close();
                throw e;
            }
            if (gcUntil <= clock.millis()) {
                return lease;
            }
            lease.close();
            if (System.nanoTime() > deadline) {
                throw new IOException("a chunk garbage collection holds " + GC_KEY + " (until "
                        + java.time.Instant.ofEpochMilli(gcUntil) + "); try again when it has finished");
            }
            LOG.info("event=fs.lease.wait reason=\"chunk gc running\"");
            sleep(Duration.ofSeconds(1));
        }
    }

    /** Takes the collection's lease; the caller then checks that no writer holds one. */
    static WriteLease gc(ChunkStore store, Clock clock) throws IOException {
        return new WriteLease(store, GC_KEY, clock);
    }

    /** A lease's expiry in epoch milliseconds, or 0 when there is none (or it does not parse). */
    static long expiry(ChunkStore store, String key) throws IOException {
        try {
            return Long.parseLong(new String(store.getRecord(key), StandardCharsets.US_ASCII).strip());
        } catch (ObjectNotFoundException e) {
            return 0;
        } catch (NumberFormatException e) {
            LOG.warn("event=fs.lease.unreadable key={}", key);
            return 0;
        }
    }

    String key() {
        return key;
    }

    private void renew() throws IOException {
        store.putRecord(key, Long.toString(clock.millis() + TTL.toMillis()).getBytes(StandardCharsets.US_ASCII));
    }

    private void renewLoop() {
        while (!closed) {
            LockSupport.parkNanos(TTL.toNanos() / 3);
            if (closed) {
                return;
            }
            try {
                renew();
            } catch (IOException | RuntimeException e) {
                LOG.warn("event=fs.lease.renew_failed key={} error=\"{}\"", key, e.getMessage());
            }
        }
    }

    private static void sleep(Duration d) throws InterruptedIOException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a chunk gc to finish");
        }
    }

    /** Releases the lease: stops renewing it and deletes it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(renewer);
        try {
            store.deleteRecord(key);
        } catch (IOException | RuntimeException e) {
            LOG.warn("event=fs.lease.release_failed key={} error=\"{}\" note=\"lapses after its TTL\"", key, e.getMessage());
        }
    }
}
