package dev.quilt.zstor;

import dev.quilt.zstor.backend.Backend;
import dev.quilt.zstor.backend.BackendGroup;
import dev.quilt.zstor.backend.BackendLink;
import dev.quilt.zstor.backend.BackendSelector;
import dev.quilt.zstor.backend.ShardBackend;
import dev.quilt.zstor.config.ZstorConfig;
import dev.quilt.zstor.meta.MetadataRecord;
import dev.quilt.zstor.meta.MetadataRecord.ShardLocation;
import dev.quilt.zstor.meta.MetadataStore;
import dev.quilt.zstor.meta.MetadataUnavailableException;
import dev.quilt.zstor.pipeline.BufferAllocator;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every operation shares: the configuration, the coder, placement, one link per backend, the
 * metadata store and a virtual-thread executor for blocking backend calls. Thread-safe.
 */
final class Engine implements AutoCloseable {

    /**
     * Knobs that are not configuration.
     *
     * @param stripesInFlight stripes a store encodes ahead of the slowest write (memory: this many
     *     sets of n shards)
     * @param readAhead stripes a retrieve fetches ahead of the one it writes out
     * @param links timeouts and pool size of every backend client
     */
    record Tuning(int stripesInFlight, int readAhead, BackendLink.Options links) {
        static final Tuning DEFAULTS = new Tuning(3, 3, BackendLink.Options.DEFAULTS);

        /** Shard writes one backend may have outstanding, over all stores: one per pooled socket. */
        int writesInFlight() {
            return links.maxConnections();
        }
    }

    final ZstorConfig config;
    final Tuning tuning;
    final ShardCoding coding;
    final BackendSelector selector;
    final MetadataStore meta;
    final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    final SecureRandom random = new SecureRandom();
    final BufferAllocator allocator;
    private final Map<String, ShardBackend> data = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> writePermits = new ConcurrentHashMap<>();
    private final List<ShardBackend> configured = new ArrayList<>();
    private final List<BackendLink> links = new ArrayList<>();
    private final ReentrantLock[] keyLocks = new ReentrantLock[64];

    Engine(ZstorConfig config, Tuning tuning, BufferAllocator allocator) {
        this.config = config;
        this.tuning = tuning;
        this.allocator = allocator;
        this.coding = new ShardCoding(config.minimalShards(), config.parityShards());
        this.selector = BackendSelector.rendezvous(config.groups(), config.minimalShards(), config.expectedShards(),
                config.redundantGroups(), config.redundantNodes());
        for (BackendGroup group : config.groups()) {
            for (Backend backend : group.backends()) {
                ShardBackend shards = ShardBackend.zdb(link(backend));
                configured.add(shards);
                data.put(backend.id(), shards);
            }
        }
        List<BackendLink> metaLinks = new ArrayList<>();
        for (Backend backend : config.meta().backends()) {
            metaLinks.add(link(backend));
        }
        this.meta = new MetadataStore(config.meta().prefix(), metaLinks, config.meta().writeQuorum(),
                config.masterKey(), random, executor);
        for (int i = 0; i < keyLocks.length; i++) {
            keyLocks[i] = new ReentrantLock();
        }
    }

    private synchronized BackendLink link(Backend backend) {
        BackendLink link = new BackendLink(backend, tuning.links());
        links.add(link);
        return link;
    }

    /** Every configured data backend, in configuration order. */
    List<ShardBackend> dataBackends() {
        return configured;
    }

    ShardBackend backend(Backend backend) {
        return data.computeIfAbsent(backend.id(), id -> ShardBackend.zdb(link(backend)));
    }

    /**
     * The backend a record's location names. A location that is no longer configured (the config
     * changed since the object was stored) is still reached, without a password.
     */
    ShardBackend backend(ShardLocation location) {
        String id = location.namespace().isEmpty() ? location.address()
                : location.address() + "/" + location.namespace();
        ShardBackend known = data.get(id);
        if (known != null) {
            return known;
        }
        Backend parsed = Backend.parse(location.address(),
                location.namespace().isEmpty() ? Optional.empty() : Optional.of(location.namespace()), Optional.empty());
        return backend(parsed);
    }

    /** Bounds the shard writes outstanding on one backend (see {@link ObjectWriter}). */
    Semaphore writePermits(ShardBackend backend) {
        return writePermits.computeIfAbsent(backend.backend().id(), id -> new Semaphore(tuning.writesInFlight()));
    }

    static ShardLocation location(Backend backend, boolean pending) {
        return new ShardLocation(backend.address(), backend.namespace().orElse(""), pending);
    }

    List<ShardBackend> backends(MetadataRecord record) {
        List<ShardBackend> list = new ArrayList<>(record.totalShards());
        for (ShardLocation location : record.shards()) {
            list.add(backend(location));
        }
        return list;
    }

    /** The newest live record, or ObjectNotFoundException. */
    MetadataRecord live(ObjectKey key) throws ZstorException {
        Optional<MetadataRecord> record = read(key);
        if (record.isEmpty() || record.get().tombstone()) {
            throw new ObjectNotFoundException(key.name());
        }
        return record.get();
    }

    /** The newest record, tombstones included. */
    Optional<MetadataRecord> read(ObjectKey key) throws ZstorException {
        try {
            return meta.read(key.hash(), key.id());
        } catch (MetadataUnavailableException e) {
            throw new ZstorException(e.getMessage(), e);
        }
    }

    void write(MetadataRecord record) throws ZstorException {
        try {
            meta.write(record);
        } catch (MetadataUnavailableException e) {
            throw new ZstorException(e.getMessage(), e);
        }
    }

    /** Serializes writers of one key inside this process (store, rebuild and delete read, then write, metadata). */
    ReentrantLock lock(ObjectKey key) {
        return keyLocks[Math.floorMod(key.name().hashCode(), keyLocks.length)];
    }

    /** Links to every metadata backend. */
    List<BackendLink> metaLinks() {
        return meta.links();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        synchronized (this) {
            for (BackendLink link : links) {
                link.close();
            }
        }
    }
}
