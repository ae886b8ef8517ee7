package dev.quilt.zstor;

import dev.quilt.zstor.backend.BackendLink;
import dev.quilt.zstor.backend.Fanout;
import dev.quilt.zstor.backend.NamespaceUsage;
import dev.quilt.zstor.backend.ShardBackend;
import dev.quilt.zstor.meta.MetadataRecord;
import dev.quilt.zstor.meta.MetadataUnavailableException;
import dev.quilt.zstor.pipeline.BufferAllocator;
import dev.quilt.zstor.config.ZstorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.function.LongConsumer;

/** {@link Zstor} over zdb backends: wires the engine's parts to the API. */
final class DefaultZstor implements Zstor {

    private final Engine engine;
    private final ObjectWriter writer;
    private final ObjectReader reader;
    private final Scrubber scrubber;
    private final Rebuilder rebuilder;
    private final ShardSweeper sweeper;

    DefaultZstor(ZstorConfig config, Engine.Tuning tuning, BufferAllocator allocator) {
        this.engine = new Engine(config, tuning, allocator);
        ShardPlacement placement = new ShardPlacement(engine);
        StripeFetcher fetcher = new StripeFetcher(engine);
        this.sweeper = new ShardSweeper(engine);
        this.writer = new ObjectWriter(engine, placement, sweeper);
        this.reader = new ObjectReader(engine, fetcher);
        this.scrubber = new Scrubber(engine);
        this.rebuilder = new Rebuilder(engine, scrubber, fetcher, placement);
    }

    @Override
    public ObjectInfo store(String key, InputStream in, LongConsumer progress) throws IOException {
        return writer.store(ObjectKey.of(key), in, progress);
    }

    @Override
    public ObjectInfo retrieve(String key, OutputStream out, LongConsumer progress) throws IOException {
        return reader.retrieve(ObjectKey.of(key), out, progress);
    }

    @Override
    public ObjectInfo stat(String key) throws IOException {
        return info(key, engine.live(ObjectKey.of(key)));
    }

    @Override
    public CheckReport check(String key) throws IOException {
        ObjectKey objectKey = ObjectKey.of(key);
        return scrubber.scrub(objectKey, engine.live(objectKey)).report();
    }

    @Override
    public RebuildReport rebuild(String key) throws IOException {
        return rebuilder.rebuild(ObjectKey.of(key));
    }

    @Override
    public List<ObjectInfo> list() throws IOException {
        SortedSet<String> hashes;
        try {
            hashes = engine.meta.hashes();
        } catch (MetadataUnavailableException e) {
            throw new ZstorException(e.getMessage(), e);
        }
        List<String> all = new ArrayList<>(hashes);
        List<Fanout.Outcome<String, Optional<MetadataRecord>>> records = Fanout.each(engine.executor, all,
                hex -> engine.meta.readByHash(HexFormat.of().parseHex(hex)));
        List<ObjectInfo> infos = new ArrayList<>();
        for (Fanout.Outcome<String, Optional<MetadataRecord>> r : records) {
            if (!r.ok()) {
                throw new ZstorException(r.error().getMessage(), r.error());
            }
            r.value().filter(m -> !m.tombstone())
                    .ifPresent(m -> infos.add(info(ObjectKey.fromId(m.objectId()).name(), m)));
        }
        infos.sort(Comparator.comparing(ObjectInfo::key));
        return infos;
    }

    @Override
    public boolean delete(String key) throws IOException {
        ObjectKey objectKey = ObjectKey.of(key);
        engine.lock(objectKey).lock();
        try {
            Optional<MetadataRecord> current = engine.read(objectKey);
            if (current.isEmpty() || current.get().tombstone()) {
                return false;
            }
            MetadataRecord record = current.get();
            engine.write(MetadataRecord.tombstone(objectKey.id(), record.generation() + 1));
            sweeper.sweep(objectKey.hash(), record.shardGeneration(), record.stripes().size(), engine.backends(record));
            return true;
        } finally {
            engine.lock(objectKey).unlock();
        }
    }

    @Override
    public List<BackendStatus> status() {
        List<Probe> probes = new ArrayList<>();
        for (ShardBackend b : engine.dataBackends()) {
            probes.add(new Probe(b.backend().id(), BackendStatus.Role.DATA, b::usage));
        }
        for (BackendLink link : engine.metaLinks()) {
            probes.add(new Probe(link.backend().id(), BackendStatus.Role.META, link::usage));
        }
        List<BackendStatus> statuses = new ArrayList<>();
        for (Fanout.Outcome<Probe, NamespaceUsage> o : Fanout.each(engine.executor, probes, p -> p.usage().get())) {
            Probe p = o.item();
            if (o.ok()) {
                NamespaceUsage u = o.value();
                statuses.add(new BackendStatus(p.id(), p.role(), true, u.freeBytes(), OptionalLong.of(u.usedBytes()),
                        OptionalLong.of(u.entries()), Optional.empty()));
            } else {
                statuses.add(new BackendStatus(p.id(), p.role(), false, OptionalLong.empty(), OptionalLong.empty(),
                        OptionalLong.empty(), Optional.of(o.error().getMessage())));
            }
        }
        return statuses;
    }

    private record Probe(String id, BackendStatus.Role role, UsageCall usage) {
    }

    @FunctionalInterface
    private interface UsageCall {
        NamespaceUsage get() throws IOException;
    }

    /** The shared parts (tests inspect backend health). */
    Engine engine() {
        return engine;
    }

    /** The object's live metadata record (tests look up where shards are). */
    MetadataRecord metadata(String key) throws IOException {
        return engine.live(ObjectKey.of(key));
    }

    @Override
    public void close() {
        engine.close();
    }

    static ObjectInfo info(String key, MetadataRecord record) {
        return new ObjectInfo(key, record.size(), record.dataShards(), record.parityShards(), record.generation(),
                HexFormat.of().formatHex(record.contentDigest()), record.pendingShards());
    }
}
