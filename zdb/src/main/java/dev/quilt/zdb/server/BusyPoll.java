package dev.quilt.zdb.server;

import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How the event loop waits for I/O (epoll and NIO): it polls without blocking for up to a budget before it
 * sleeps in {@code epoll_wait}, and backs off while polling finds nothing.
 *
 * <p>Why: with many clients at pipeline depth 1 the loop serves a request in a few microseconds and then finds
 * nothing to do until the next one arrives, a few microseconds later. Every time it sleeps, the next client's
 * {@code send} must wake it, and that wake-up (an inter-processor interrupt to an idle CPU, a VM exit on a virtual
 * machine) is paid by the client's kernel time. A loop still polling is found awake and costs the sender
 * nothing; on the two-CPU machines measured, where the client is the bottleneck, that was worth about a tenth
 * of GET throughput at depth 1 (docs/benchmarks.md).
 *
 * <p>Cost: while clients keep the loop busy, the idle part of its core goes into polling. When a poll runs out its
 * budget with nothing found (an idle or lightly loaded server), the loop then sleeps straight away for the next
 * 1, 2, 4 … up to {@value #MAX_BACKOFF} waits before it polls again, so a quiet server spends at most one budget
 * per {@value #MAX_BACKOFF} wake-ups polling. Tasks handed to the loop by other threads (fsync completions)
 * end a poll at once; a timer that falls due during a poll (an idle-file sweep, a {@code --synctime} flush)
 * waits for its end, which is why a budget is at most a millisecond. A budget of zero turns polling off: the
 * loop blocks whenever it has nothing ready, as Netty does by default.
 *
 * <p>Thread-safe: a strategy belongs to its loop; the counters may be read from anywhere.
 */
final class BusyPoll implements SelectStrategyFactory {

    static final int MAX_BACKOFF = 256;

    private final long budgetNanos;
    private final AtomicLong pollNanos = new AtomicLong();
    private final AtomicLong fruitlessPolls = new AtomicLong();
    private volatile SingleThreadEventExecutor loop;

    BusyPoll(Duration budget) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("busy-poll budget must not be negative: " + budget);
        }
        this.budgetNanos = budget.toNanos();
    }

    /**
     * The loop whose task queue ends a poll; until it is attached the loop never polls, so a loop of a
     * transport without a queue to watch behaves as Netty's default. One loop per factory: the server runs one.
     */
    void attach(EventLoop eventLoop) {
        if (eventLoop instanceof SingleThreadEventExecutor executor) {
            loop = executor;
        }
    }

    /** Nanoseconds spent polling without blocking, found or not. */
    long pollNanos() {
        return pollNanos.get();
    }

    /** Polls that ran out their budget with nothing found. */
    long fruitlessPolls() {
        return fruitlessPolls.get();
    }

    @Override
    public SelectStrategy newSelectStrategy() {
        return budgetNanos == 0 ? DefaultSelectStrategyFactory.INSTANCE.newSelectStrategy() : new Strategy();
    }

    /** One loop's strategy: confined to that loop's thread. */
    private final class Strategy implements SelectStrategy {

        private int backoff;
        private int sleepsBeforePolling;

        @Override
        public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
            if (hasTasks) {
                return selectNow.get();
            }
            SingleThreadEventExecutor tasks = loop;
            if (tasks == null) {
                return SelectStrategy.SELECT;
            }
            if (sleepsBeforePolling > 0) {
                sleepsBeforePolling--;
                return SelectStrategy.SELECT;
            }
            long start = System.nanoTime();
            long now = start;
            do {
                int ready = selectNow.get();
                if (ready > 0 || tasks.pendingTasks() > 0) {
                    backoff = 0;
                    pollNanos.addAndGet(System.nanoTime() - start);
                    return ready;
                }
                Thread.onSpinWait();
                now = System.nanoTime();
            } while (now - start < budgetNanos);
            backoff = Math.clamp(backoff * 2L, 1, MAX_BACKOFF);
            sleepsBeforePolling = backoff;
            pollNanos.addAndGet(now - start);
            fruitlessPolls.incrementAndGet();
            return SelectStrategy.SELECT;
        }
    }
}
