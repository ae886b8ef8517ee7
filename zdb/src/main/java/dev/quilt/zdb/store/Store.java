package dev.quilt.zdb.store;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * All namespaces of one zdb instance, persisted under a data root and an index root.
 *
 * <p><b>Concurrency.</b> Confined to one owner thread (the server's event loop): every method except
 * {@link #durable()} and {@link #close()} must be called from it. Background work (fsync, compaction)
 * runs on the store's own threads and hands its results back through the {@code owner} executor given
 * to {@link #open}.
 *
 * <p><b>Durability.</b> Writes go to an in-process append buffer; {@link #flush()} hands them to the
 * operating system (after which a {@code kill -9} cannot lose them) and {@link #durable()} also forces
 * them to disk. Callers acknowledge a write only after {@code flush()} (default) or after the future of
 * {@code durable()} completes ({@code --sync}). Concurrent {@code durable()} calls share one fsync.
 */
public interface Store extends AutoCloseable {

    /** The name of the namespace that always exists and every connection starts in. */
    String DEFAULT_NAMESPACE = "default";

    /**
     * Opens (creating if needed) the store: takes an exclusive lock on both roots, loads every namespace,
     * recovers torn tails (logging file, offset and bytes cut) and creates {@code default}.
     *
     * @throws StoreLockedException when another process holds either root
     * @throws IOException          on unreadable or corrupt files that recovery cannot repair
     */
    static Store open(StoreConfig config, StoreListener listener, Executor owner) throws IOException {
        return FileStore.open(config, listener, owner);
    }

    StoreConfig config();

    /** The namespace with this name, if it exists. */
    Optional<Namespace> namespace(String name);

    /** Names of all namespaces, {@code default} first, then in creation order. */
    List<String> names();

    /**
     * Creates a namespace with 0-db's defaults (public, no password, unlimited, not worm; user mode
     * unless the store forces a mode).
     *
     * @throws IllegalArgumentException when the name is not allowed ({@code default}, {@code .}, {@code ..},
     *                                  contains {@code /}, empty or longer than 128 bytes)
     * @throws IllegalStateException    when it exists already
     */
    Namespace create(String name) throws IOException;

    /**
     * Deletes a namespace and all its files. The {@link Namespace} object becomes unusable:
     * {@link Namespace#isDeleted()} turns true.
     *
     * @throws IllegalArgumentException for {@code default}
     */
    void delete(String name) throws IOException;

    /** Hands every buffered append to the operating system. Cheap when nothing is buffered. */
    void flush() throws IOException;

    /**
     * Flushes, then completes once every write made so far is on disk. Concurrent callers share fsyncs
     * (group commit). Thread-safe. The future fails with the IOException if forcing fails.
     */
    CompletableFuture<Void> durable();

    /**
     * Flushes and forces every write made so far to disk on the calling (owner) thread, as Redis's
     * {@code appendfsync always} does once per event-loop pass. Cheaper than {@link #durable()} when the
     * caller batches writes itself: no hand-off to another thread and back.
     */
    void syncNow() throws IOException;

    /**
     * Closes the closed data files unused for {@link StoreConfig#dataFileIdleTimeout()}, and those deleted or
     * replaced on disk meanwhile, so their space is freed and their next read finds out (missing-data hook).
     * The owner calls it periodically, more often than the timeout.
     */
    void closeIdleFiles();

    /** Counters for INFO and metrics. */
    StoreStats stats();

    /** Flushes, forces everything to disk, fires close hooks, releases the locks. */
    @Override
    void close() throws IOException;
}
