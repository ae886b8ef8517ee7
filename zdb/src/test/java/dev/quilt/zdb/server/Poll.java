package dev.quilt.zdb.server;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition with a deadline, reporting the last state seen (never asserts on elapsed time). */
final class Poll {
    private Poll() { }

    static <T> T until(Supplier<T> probe, java.util.function.Predicate<T> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what + "; last seen: " + last);
            }
            Thread.sleep(20);
            last = probe.get();
        }
        return last;
    }
}
