package dev.quilt.zdb.server;

import dev.quilt.zdb.store.Store;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Decides when replies to writes may leave, once per event-loop pass for every connection that wrote in it.
 *
 * <p>A write may be acknowledged once {@link Store#flush()} handed it to the operating system (then a
 * {@code kill -9} cannot lose it), or with {@code --sync} once {@link Store#syncNow()} put it on disk. The
 * fsync runs on the event loop, as Redis's {@code appendfsync always} does: on two cores a hand-off to a
 * syncer thread and back costs more latency than it frees, and every waiting write shares it anyway. The first
 * connection that wrote in a pass opens a batch and schedules it as a loop task, which Netty runs after the
 * pass's I/O; every connection read in the same pass joins it. So fifty clients each sending one SET cost one
 * flush (one write system call) and, with {@code --sync}, one fsync, not fifty.
 *
 * <p>Confined to the event loop.
 */
final class AckBatcher {

    private final Store store;
    private final Executor loop;
    private final boolean sync;
    private CompletableFuture<Void> open;

    AckBatcher(Store store, Executor loop, boolean sync) {
        this.store = store;
        this.loop = loop;
        this.sync = sync;
    }

    /** Completes once every write made before the batch runs may be acknowledged. */
    CompletableFuture<Void> request() {
        if (open == null) {
            CompletableFuture<Void> batch = new CompletableFuture<>();
            open = batch;
            loop.execute(() -> {
                open = null;
                try {
                    if (sync) {
                        store.syncNow();
                    } else {
                        store.flush();
                    }
                    batch.complete(null);
                } catch (IOException | RuntimeException e) {
                    batch.completeExceptionally(e);
                }
            });
        }
        return open;
    }
}
