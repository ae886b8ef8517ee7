package dev.quilt.zdb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BusyPollTest {

    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() throws InterruptedException {
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    /** A non-blocking poll that finds nothing for a number of calls, then {@code ready} events, and counts calls. */
    private static final class ScriptedPoll implements IntSupplier {
        int emptyCalls;
        int ready;
        int calls;

        ScriptedPoll(int emptyCalls, int ready) {
            this.emptyCalls = emptyCalls;
            this.ready = ready;
        }

        @Override
        public int get() {
            calls++;
            return emptyCalls-- > 0 ? 0 : ready;
        }
    }

    private SelectStrategy strategy(Duration budget) {
        BusyPoll poll = new BusyPoll(budget);
        poll.attach(loop);
        return poll.newSelectStrategy();
    }

    @Test
    void aPollReturnsWhatItFindsWithoutSleeping() throws Exception {
        SelectStrategy strategy = strategy(Duration.ofSeconds(30));
        ScriptedPoll poll = new ScriptedPoll(5, 3);
        assertThat(strategy.calculateStrategy(poll, false)).isEqualTo(3);
        assertThat(poll.calls).isEqualTo(6);
    }

    @Test
    void fruitlessPollsSleepOneTwoFourWaitsUpToTheCapBeforePollingAgain() throws Exception {
        BusyPoll busyPoll = new BusyPoll(Duration.ofNanos(20_000));
        busyPoll.attach(loop);
        SelectStrategy strategy = busyPoll.newSelectStrategy();
        ScriptedPoll nothing = new ScriptedPoll(Integer.MAX_VALUE, 0);
        List<Integer> sleepsBetweenPolls = new ArrayList<>();
        int sleeps = 0;
        for (int wait = 0; wait < 2 * (2 * BusyPoll.MAX_BACKOFF + 12); wait++) {
            int before = nothing.calls;
            assertThat(strategy.calculateStrategy(nothing, false)).isEqualTo(SelectStrategy.SELECT);
            if (nothing.calls > before) {
                sleepsBetweenPolls.add(sleeps);
                sleeps = 0;
            } else {
                sleeps++;
            }
        }
        assertThat(sleepsBetweenPolls).startsWith(0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 256);
        assertThat(busyPoll.fruitlessPolls()).isEqualTo(sleepsBetweenPolls.size());
        assertThat(busyPoll.pollNanos()).isGreaterThanOrEqualTo(20_000L * sleepsBetweenPolls.size());
    }

    @Test
    void aPollThatFindsEventsEndsTheBackOff() throws Exception {
        SelectStrategy strategy = strategy(Duration.ofNanos(20_000));
        ScriptedPoll nothing = new ScriptedPoll(Integer.MAX_VALUE, 0);
        for (int wait = 0; wait < 1 + 1 + 1 + 2 + 1; wait++) {   // polls, sleeps 1, polls, sleeps 2, polls
            strategy.calculateStrategy(nothing, false);
        }
        assertThat(nothing.calls).isPositive();
        // Now asleep for the next 4 waits; a wait with tasks still polls once, and does not count as a sleep.
        ScriptedPoll busy = new ScriptedPoll(0, 7);
        assertThat(strategy.calculateStrategy(busy, true)).isEqualTo(7);
        for (int sleep = 0; sleep < 4; sleep++) {
            assertThat(strategy.calculateStrategy(busy, false)).isEqualTo(SelectStrategy.SELECT);
        }
        assertThat(strategy.calculateStrategy(busy, false)).isEqualTo(7);
        // Found something: the very next wait polls again.
        assertThat(strategy.calculateStrategy(busy, false)).isEqualTo(7);
        assertThat(busy.calls).isEqualTo(3);
    }

    @Test
    @Timeout(60)
    void aTaskHandedToTheLoopEndsAPollAtOnce() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        running.await();
        loop.execute(() -> { });
        try {
            // A budget no test would wait out: only the queued task can end this poll with 0 instead of SELECT.
            SelectStrategy strategy = strategy(Duration.ofHours(1));
            assertThat(strategy.calculateStrategy(new ScriptedPoll(Integer.MAX_VALUE, 0), false)).isZero();
        } finally {
            release.countDown();
        }
    }

    @Test
    @Timeout(60)
    void withTasksWaitingItPollsOnceAndNeverSleeps() throws Exception {
        SelectStrategy strategy = strategy(Duration.ofHours(1));
        ScriptedPoll poll = new ScriptedPoll(Integer.MAX_VALUE, 0);
        assertThat(strategy.calculateStrategy(poll, true)).isZero();
        assertThat(poll.calls).isEqualTo(1);
    }

    @Test
    void aZeroBudgetSleepsWithoutPollingAsNettyDoes() throws Exception {
        SelectStrategy strategy = strategy(Duration.ZERO);
        ScriptedPoll poll = new ScriptedPoll(0, 5);
        assertThat(strategy.calculateStrategy(poll, false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(poll.calls).isZero();
    }

    @Test
    @Timeout(60)
    void aLoopNotAttachedNeverPolls() throws Exception {
        SelectStrategy strategy = new BusyPoll(Duration.ofHours(1)).newSelectStrategy();
        ScriptedPoll poll = new ScriptedPoll(0, 5);
        assertThat(strategy.calculateStrategy(poll, false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(poll.calls).isZero();
    }

    @Test
    void aNegativeBudgetIsRefused() {
        assertThatThrownBy(() -> new BusyPoll(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative");
    }
}
