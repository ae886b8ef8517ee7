package dev.quilt.zdb.server;

import dev.quilt.zdb.store.Store;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Coalesces {@code --sync} durability requests of one event-loop pass into one {@link Store#durable()} call.
 * The first connection that needs durability in a pass opens a batch and schedules its submission as a loop
 * task, which Netty runs after the pass's I/O; every connection read in the same pass joins that batch, so
 * they all share one group-commit round instead of racing into two.
 *
 * <p>Confined to the event loop.
 */
final class DurabilityBatcher {

    private final Store store;
    private final Executor loop;
    private CompletableFuture<Void> open;

    DurabilityBatcher(Store store, Executor loop) {
        this.store = store;
        this.loop = loop;
    }

    /** Completes once every write flushed before the batch is submitted is on disk. */
    CompletableFuture<Void> request() {
        if (open == null) {
            CompletableFuture<Void> batch = new CompletableFuture<>();
            open = batch;
            loop.execute(() -> {
                open = null;
                store.durable().whenComplete((v, e) -> {
                    if (e != null) {
                        batch.completeExceptionally(e);
                    } else {
                        batch.complete(null);
                    }
                });
            });
        }
        return open;
    }
}
