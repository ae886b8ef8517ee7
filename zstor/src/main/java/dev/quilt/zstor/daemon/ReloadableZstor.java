package dev.quilt.zstor.daemon;

import dev.quilt.zstor.BackendStatus;
import dev.quilt.zstor.CheckReport;
import dev.quilt.zstor.ObjectInfo;
import dev.quilt.zstor.RebuildReport;
import dev.quilt.zstor.Zstor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * A {@link Zstor} whose store can be replaced while it is used: what a config reload swaps. Each call runs
 * on the store current when it began; a replaced store is closed once its last call returned, so a reload
 * neither waits for a long store nor cuts it off. Thread-safe.
 */
public final class ReloadableZstor implements Zstor {

    /** One store and the calls running on it. */
    private static final class Generation {
        final Zstor zstor;
        int calls;
        boolean replaced;

        Generation(Zstor zstor) {
            this.zstor = Objects.requireNonNull(zstor, "zstor");
        }
    }

    @FunctionalInterface
    private interface Call<R> {
        R on(Zstor zstor) throws IOException;
    }

    private Generation current;
    private boolean closed;

    public ReloadableZstor(Zstor first) {
        this.current = new Generation(first);
    }

    /** Makes {@code next} the store new calls use; the previous one is closed once idle. */
    public void replace(Zstor next) {
        Generation old;
        synchronized (this) {
            if (closed) {
                next.close();
                return;
            }
            old = current;
            current = new Generation(next);
            old.replaced = true;
            if (old.calls > 0) {
                return;
            }
        }
        old.zstor.close();
    }

    private synchronized Generation enter() {
        current.calls++;
        return current;
    }

    private void leave(Generation generation) {
        synchronized (this) {
            generation.calls--;
            if (!generation.replaced || generation.calls > 0) {
                return;
            }
        }
        generation.zstor.close();
    }

    private <R> R call(Call<R> call) throws IOException {
        Generation generation = enter();
        try {
            return call.on(generation.zstor);
        } finally {
            leave(generation);
        }
    }

    @Override
    public ObjectInfo store(String key, InputStream in, LongConsumer progress) throws IOException {
        return call(z -> z.store(key, in, progress));
    }

    @Override
    public ObjectInfo retrieve(String key, OutputStream out, LongConsumer progress) throws IOException {
        return call(z -> z.retrieve(key, out, progress));
    }

    @Override
    public ObjectInfo stat(String key) throws IOException {
        return call(z -> z.stat(key));
    }

    @Override
    public CheckReport check(String key) throws IOException {
        return call(z -> z.check(key));
    }

    @Override
    public RebuildReport rebuild(String key) throws IOException {
        return call(z -> z.rebuild(key));
    }

    @Override
    public List<ObjectInfo> list() throws IOException {
        return call(Zstor::list);
    }

    @Override
    public boolean delete(String key) throws IOException {
        return call(z -> z.delete(key));
    }

    @Override
    public List<BackendStatus> status() {
        Generation generation = enter();
        try {
            return generation.zstor.status();
        } finally {
            leave(generation);
        }
    }

    @Override
    public void close() {
        Generation last;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            last = current;
            last.replaced = true;
            if (last.calls > 0) {
                return;
            }
        }
        last.zstor.close();
    }
}
