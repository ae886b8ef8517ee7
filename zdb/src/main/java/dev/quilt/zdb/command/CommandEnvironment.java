package dev.quilt.zdb.command;

import dev.quilt.common.metrics.MetricsRegistry;
import dev.quilt.zdb.store.Store;
import dev.quilt.zdb.store.StoreListener;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * What commands need from the server around them.
 *
 * @param store         the store; confined to {@code loop}
 * @param adminPassword --admin; empty means every connection is admin
 * @param protect       --protect
 * @param loop          the event loop owning the store: WAIT timeouts and deferred replies run on it
 * @param background    where long work (COMPACT) runs, off the event loop
 * @param events        receives the events the command layer raises itself (namespace-updated for lock/freeze)
 * @param hookRuns      the hook runs HOOKS lists
 * @param stats         counters for INFO
 * @param metrics       per-command counters are registered here
 * @param clock         wall clock for timestamps, TIME, INFO
 * @param random        source of AUTH SECURE nonces
 * @param instanceId    INFO's instance_id
 * @param bootTime      unix seconds at start-up
 */
public record CommandEnvironment(
        Store store,
        Optional<String> adminPassword,
        boolean protect,
        ScheduledExecutorService loop,
        Executor background,
        StoreListener events,
        Supplier<List<HookRun>> hookRuns,
        ServerStats stats,
        MetricsRegistry metrics,
        Clock clock,
        RandomGenerator random,
        long instanceId,
        long bootTime) {

    long now() {
        return clock.millis() / 1000;
    }
}
