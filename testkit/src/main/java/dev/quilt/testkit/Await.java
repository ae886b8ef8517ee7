package dev.quilt.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling, with a deadline.
 *
 * <p>Tests never assert on elapsed time: they wait until the system reaches the state they expect and,
 * when it does not within a generous deadline, fail with a description of the last state seen.
 *
 * <pre>{@code
 * Await.until(() -> server.output().contains("listening"), Duration.ofSeconds(30),
 *         () -> "output so far: " + server.output());
 * }</pre>
 */
public final class Await {
    private static final long POLL_MILLIS = 20;

    private Await() { }

    /**
     * Returns as soon as {@code condition} holds.
     *
     * @param condition  polled every few milliseconds; an exception it throws fails the wait at once
     * @param timeout    how long to keep polling
     * @param lastState  describes what was observed instead; called once, when the deadline passes
     * @throws AssertionError when the condition still does not hold at the deadline
     */
    public static void until(BooleanSupplier condition, Duration timeout, Supplier<String> lastState) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not met within " + timeout + "; last state: " + lastState.get());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting; last state: " + lastState.get(), e);
            }
        }
    }
}
