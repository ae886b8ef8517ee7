package dev.quilt.zstor.backend;

import dev.quilt.zdb.client.ZdbClient;
import dev.quilt.zdb.client.ZdbException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One backend's connection: a pooled {@link ZdbClient} with timeouts, connected lazily (an
 * unreachable backend never stops zstor from opening) and reconnected by the client after a
 * failure, plus the backend's {@link BackendHealth}, updated by every call. Every failure becomes a
 * {@link BackendUnavailableException} that names the backend. Thread-safe.
 */
public final class BackendLink implements AutoCloseable {

    /**
     * Limits for one backend's client.
     *
     * @param connectTimeout TCP connect
     * @param readTimeout one reply; a stalled backend fails a call after this
     * @param maxConnections sockets open at once
     */
    public record Options(Duration connectTimeout, Duration readTimeout, int maxConnections) {
        /** 2 s to connect, 30 s for a reply (an 8 MiB shard over a slow link), 16 sockets. */
        public static final Options DEFAULTS = new Options(Duration.ofSeconds(2), Duration.ofSeconds(30), 16);
    }

    /** zdb's answers to SELECT of a namespace that does not exist, and to NSNEW of one that does. */
    private static final String NAMESPACE_NOT_FOUND = "Namespace not found";
    private static final String NAMESPACE_TAKEN = "This namespace is not available";

    private final Backend backend;
    private final Options options;
    private final BackendHealth health;
    private final BackendHealth writeHealth;
    private ZdbClient client;
    private boolean closed;

    public BackendLink(Backend backend, Options options) {
        this.backend = backend;
        this.options = options;
        this.health = new BackendHealth(System::nanoTime);
        this.writeHealth = new BackendHealth(System::nanoTime);
    }

    public Backend backend() {
        return backend;
    }

    public BackendHealth health() {
        return health;
    }

    /**
     * The backend's writes alone: a SET carries a whole shard, so its latency is not a GET's, and a
     * store's hedge delay comes from this.
     */
    public BackendHealth writeHealth() {
        return writeHealth;
    }

    /** {@code SET key value}. */
    public void set(byte[] key, byte[] value) throws BackendUnavailableException {
        long start = writeHealth.start();
        try {
            run("SET", c -> c.set(key, value));
            writeHealth.succeeded(start);
        } catch (BackendUnavailableException e) {
            writeHealth.failed(start, e.getMessage());
            throw e;
        }
    }

    /** {@code GET key}: the value, or null when the backend does not hold the key. */
    public byte[] get(byte[] key) throws BackendUnavailableException {
        return run("GET", c -> c.get(key));
    }

    /** {@code EXISTS key}. */
    public boolean exists(byte[] key) throws BackendUnavailableException {
        return run("EXISTS", c -> c.exists(key));
    }

    /** {@code DEL key}: false when there was no such key. */
    public boolean delete(byte[] key) throws BackendUnavailableException {
        return run("DEL", c -> c.del(key));
    }

    /** Every key of the namespace that starts with {@code prefix} (a full SCAN, filtered here). */
    public List<byte[]> keys(byte[] prefix) throws BackendUnavailableException {
        return run("SCAN", c -> {
            List<byte[]> keys = new ArrayList<>();
            for (Iterator<ZdbClient.ScanEntry> it = c.scan().iterator(); it.hasNext(); ) {
                byte[] key = it.next().key();
                if (key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
                    keys.add(key);
                }
            }
            return keys;
        });
    }

    /** The namespace's size and free space, from {@code NSINFO}. */
    public NamespaceUsage usage() throws BackendUnavailableException {
        Map<String, String> info = run("NSINFO", c -> c.nsinfo(backend.namespace().orElse("default")));
        long entries = number(info, "entries");
        long used = number(info, "data_size_bytes");
        long limit = number(info, "data_limits_bytes");
        long disk = number(info, "data_disk_freespace_bytes");
        OptionalLong free;
        if (limit > 0) {
            free = OptionalLong.of(Math.max(0, disk >= 0 ? Math.min(limit - used, disk) : limit - used));
        } else {
            free = disk >= 0 ? OptionalLong.of(disk) : OptionalLong.empty();
        }
        return new NamespaceUsage(Math.max(0, entries), Math.max(0, used), free);
    }

    private static long number(Map<String, String> info, String field) {
        try {
            return Long.parseLong(info.getOrDefault(field, "-1").strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T on(ZdbClient client);
    }

    private <T> T run(String command, Call<T> call) throws BackendUnavailableException {
        long start = health.start();
        try {
            T result = call.on(client());
            health.succeeded(start);
            return result;
        } catch (UncheckedIOException e) {
            throw failure(start, command, "unreachable: " + describe(e.getCause()), e);
        } catch (ZdbException e) {
            throw failure(start, command, "refused: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // The client reports a borrow timeout and similar trouble as unchecked exceptions too.
            throw failure(start, command, describe(e), e);
        }
    }

    private BackendUnavailableException failure(long start, String command, String why, Exception cause) {
        health.failed(start, why);
        return new BackendUnavailableException("backend " + backend.id() + ": " + command + " " + why, cause);
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "connection failed";
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private synchronized ZdbClient client() {
        if (closed) {
            throw new IllegalStateException("backend " + backend.id() + " is closed");
        }
        if (client == null) {
            client = connect();
        }
        return client;
    }

    private ZdbClient.Builder builder(ZdbClient.Builder builder) {
        return builder.connectTimeout(options.connectTimeout())
                .readTimeout(options.readTimeout())
                .borrowTimeout(options.readTimeout())
                .maxConnections(options.maxConnections());
    }

    /**
     * Connects and selects the namespace; one that does not exist is created when the zdb allows it
     * (it has no admin password, or the config gives it), with the configured password set on it.
     */
    private ZdbClient connect() {
        try {
            return builder(backend.clientBuilder()).build();
        } catch (ZdbException e) {
            if (backend.namespace().isEmpty() || !NAMESPACE_NOT_FOUND.equals(e.getMessage())) {
                throw e;
            }
        }
        String namespace = backend.namespace().orElseThrow();
        ZdbClient.Builder adminBuilder = builder(ZdbClient.builder(backend.host(), backend.port())).maxConnections(1);
        backend.adminPassword().ifPresent(adminBuilder::adminPassword);
        try (ZdbClient admin = adminBuilder.build()) {
            admin.nsnew(namespace);
            if (backend.password().isPresent()) {
                admin.nsset(namespace, "password", backend.password().get());
            }
        } catch (ZdbException e) {
            // Another client may have created it meanwhile; anything else is the zdb saying no.
            if (!NAMESPACE_TAKEN.equals(e.getMessage())) {
                throw new ZdbException("namespace \"" + namespace + "\" does not exist and the zdb refused to create it ("
                        + e.getMessage() + (backend.adminPassword().isPresent() ? ")"
                        : "; set admin_password for this backend, or create the namespace)"));
            }
        }
        return builder(backend.clientBuilder()).build();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public String toString() {
        return backend.toString();
    }
}
