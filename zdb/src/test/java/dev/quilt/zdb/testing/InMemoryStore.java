package dev.quilt.zdb.testing;

import dev.quilt.zdb.store.Mode;
import dev.quilt.zdb.store.Namespace;
import dev.quilt.zdb.store.NamespaceSettings;
import dev.quilt.zdb.store.Store;
import dev.quilt.zdb.store.StoreConfig;
import dev.quilt.zdb.store.StoreListener;
import dev.quilt.zdb.store.StoreStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test double of {@link Store} that keeps everything in memory. It implements the data rules the server
 * relies on (modes, worm, maxsize, identical values, cursors, history) closely enough to test the network
 * side; it is never used in production. Not thread-safe except {@link #durable()}.
 */
public final class InMemoryStore implements Store {

    private final StoreConfig config;
    private final StoreListener listener;
    private final Map<String, InMemoryNamespace> namespaces = new LinkedHashMap<>();
    final AtomicLong fsyncs = new AtomicLong();
    private long flushes;

    public InMemoryStore(StoreConfig config, StoreListener listener) {
        this.config = config;
        this.listener = listener;
        listener.namespacesInit(config.indexRoot(), config.dataRoot());
        NamespaceSettings defaults = NamespaceSettings.defaults(config.forcedMode().orElse(Mode.USER))
                .withMaxSize(config.defaultMaxSize());
        namespaces.put(DEFAULT_NAMESPACE, new InMemoryNamespace(DEFAULT_NAMESPACE, defaults, config, listener));
    }

    public long flushes() {
        return flushes;
    }

    @Override
    public StoreConfig config() {
        return config;
    }

    @Override
    public Optional<Namespace> namespace(String name) {
        return Optional.ofNullable(namespaces.get(name));
    }

    @Override
    public List<String> names() {
        return new ArrayList<>(namespaces.keySet());
    }

    @Override
    public Namespace create(String name) throws IOException {
        if (name.isEmpty() || name.equals(DEFAULT_NAMESPACE) || name.equals(".") || name.equals("..") || name.contains("/")
                || name.getBytes(StandardCharsets.UTF_8).length > 128) {
            throw new IllegalArgumentException("name not allowed: " + name);
        }
        if (namespaces.containsKey(name)) {
            throw new IllegalStateException("exists: " + name);
        }
        InMemoryNamespace ns = new InMemoryNamespace(name, NamespaceSettings.defaults(config.forcedMode().orElse(Mode.USER)),
                config, listener);
        namespaces.put(name, ns);
        listener.namespaceCreated(name);
        return ns;
    }

    @Override
    public void delete(String name) throws IOException {
        if (name.equals(DEFAULT_NAMESPACE)) {
            throw new IllegalArgumentException("default");
        }
        InMemoryNamespace ns = namespaces.remove(name);
        if (ns != null) {
            ns.markDeleted();
            listener.namespaceDeleted(name);
        }
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public CompletableFuture<Void> durable() {
        // Completes on another thread, as a real fsync does.
        return CompletableFuture.runAsync(fsyncs::incrementAndGet);
    }

    @Override
    public void syncNow() {
        fsyncs.incrementAndGet();
    }

    @Override
    public void closeIdleFiles() {
        // Nothing is held open.
    }

    @Override
    public StoreStats stats() {
        long keys = 0;
        long bytes = 0;
        for (InMemoryNamespace ns : namespaces.values()) {
            keys += ns.size();
            bytes += ns.dataSize();
        }
        return new StoreStats(0, 0, 0, 0, 0, 0, 0, 0, fsyncs.get(), 0, keys, bytes);
    }

    @Override
    public void close() {
        for (InMemoryNamespace ns : namespaces.values()) {
            Namespace.NamespaceStats s = ns.stats();
            listener.namespaceClosing(ns.name(), s.activeIndexFile(), s.activeDataFile());
        }
    }
}
