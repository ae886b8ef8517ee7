package dev.quilt.zstor.backend;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs one blocking call per item at once (on the given, normally virtual-thread, executor) and waits for all. */
public final class Fanout {

    /** A call that does I/O. */
    @FunctionalInterface
    public interface IoCall<T, R> {
        R apply(T item) throws IOException;
    }

    /** What one call gave: a value, or the I/O error it failed with. */
    public record Outcome<T, R>(T item, R value, IOException error) {
        public boolean ok() {
            return error == null;
        }
    }

    private Fanout() {
    }

    /** Calls {@code call} on every item concurrently; outcomes are in the items' order. */
    public static <T, R> List<Outcome<T, R>> each(ExecutorService executor, List<T> items, IoCall<T, R> call) {
        List<Future<R>> futures = new ArrayList<>(items.size());
        for (T item : items) {
            futures.add(executor.submit(() -> call.apply(item)));
        }
        List<Outcome<T, R>> outcomes = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            outcomes.add(await(items.get(i), futures.get(i)));
        }
        return outcomes;
    }

    /**
     * Like {@link #each}, but once {@code enough} calls succeeded it waits at most {@code grace} more for
     * the rest; a call still running then is reported as failed ("no answer") and left to finish on
     * its own. So one stalled backend does not hold up an operation that has its quorum.
     */
    public static <T, R> List<Outcome<T, R>> quorum(ExecutorService executor, List<T> items, IoCall<T, R> call,
            int enough, Duration grace) {
        ExecutorCompletionService<R> done = new ExecutorCompletionService<>(executor);
        Map<Future<R>, Integer> index = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            T item = items.get(i);
            index.put(done.submit(() -> call.apply(item)), i);
        }
        List<Outcome<T, R>> outcomes = new ArrayList<>(Collections.nCopies(items.size(), null));
        int ok = 0;
        long deadline = Long.MAX_VALUE;
        for (int received = 0; received < items.size(); received++) {
            Future<R> next;
            try {
                long wait = deadline - System.nanoTime();
                next = deadline == Long.MAX_VALUE ? done.take()
                        : done.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (next == null) {
                break;
            }
            int i = index.get(next);
            Outcome<T, R> outcome = await(items.get(i), next);
            outcomes.set(i, outcome);
            if (outcome.ok() && ++ok == enough) {
                deadline = System.nanoTime() + grace.toNanos();
            }
        }
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) == null) {
                outcomes.set(i, new Outcome<>(items.get(i), null, new IOException(items.get(i)
                        + ": no answer within " + grace.toMillis() + " ms after the others had answered")));
            }
        }
        return outcomes;
    }

    private static <T, R> Outcome<T, R> await(T item, Future<R> future) {
        try {
            return new Outcome<>(item, future.get(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return new Outcome<>(item, null, new IOException("interrupted", e));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                return new Outcome<>(item, null, io);
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }
}
