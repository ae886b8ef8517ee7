package dev.quilt.zstor.backend;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

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
