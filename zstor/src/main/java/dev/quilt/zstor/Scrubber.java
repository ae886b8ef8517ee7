package dev.quilt.zstor;

import dev.quilt.zstor.CheckReport.Health;
import dev.quilt.zstor.CheckReport.ShardProblem;
import dev.quilt.zstor.CheckReport.ShardProblem.Kind;
import dev.quilt.zstor.backend.BackendUnavailableException;
import dev.quilt.zstor.backend.Fanout;
import dev.quilt.zstor.backend.ShardBackend;
import dev.quilt.zstor.backend.ShardKey;
import dev.quilt.zstor.meta.MetadataRecord;
import dev.quilt.zstor.meta.MetadataRecord.StripeInfo;
import dev.quilt.zstor.pipeline.ShardChecksum;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Reads every shard of an object and checks it against the checksum in the metadata (a scrub; 0-stor_v2
 * only checked that backends answered). One virtual thread per shard index walks the stripes; a
 * backend that fails is not asked again for that object, its remaining stripes count as unreachable.
 */
final class Scrubber {

    /**
     * A scrub's findings: the report, plus per shard index the kind of problem (null when it verified)
     * and the stripes whose shard of that index is bad (all of them for a pending index, which is
     * not read).
     */
    record Result(CheckReport report, Kind[] kinds, BitSet[] badStripes) {
    }

    /** One index's walk: counts by kind and the bad stripes. */
    private record Walk(Map<Kind, Long> counts, BitSet bad) {
    }

    private final Engine engine;

    Scrubber(Engine engine) {
        this.engine = engine;
    }

    Result scrub(ObjectKey key, MetadataRecord record) {
        List<ShardBackend> backends = engine.backends(record);
        int n = record.totalShards();
        int stripes = record.stripes().size();
        AtomicIntegerArray badPerStripe = new AtomicIntegerArray(Math.max(1, stripes));
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            indexes.add(i);
        }
        List<Fanout.Outcome<Integer, Walk>> walks = Fanout.each(engine.executor, indexes,
                i -> walk(key, record, backends.get(i), i, badPerStripe));
        List<ShardProblem> problems = new ArrayList<>();
        Kind[] kinds = new Kind[n];
        BitSet[] badStripes = new BitSet[n];
        for (Fanout.Outcome<Integer, Walk> walk : walks) {
            int i = walk.item();
            Map<Kind, Long> counts = walk.value().counts();
            badStripes[i] = walk.value().bad();
            if (counts.isEmpty()) {
                continue;
            }
            Kind worst = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            long bad = counts.values().stream().mapToLong(Long::longValue).sum();
            kinds[i] = worst;
            problems.add(new ShardProblem(i, backends.get(i).backend().id(), worst, bad));
        }
        boolean lost = false;
        for (int s = 0; s < stripes; s++) {
            lost |= n - badPerStripe.get(s) < record.dataShards();
        }
        Health health = lost ? Health.LOST : problems.isEmpty() ? Health.HEALTHY : Health.DEGRADED;
        return new Result(new CheckReport(key.name(), health, problems), kinds, badStripes);
    }

    private Walk walk(ObjectKey key, MetadataRecord record, ShardBackend backend, int index,
            AtomicIntegerArray badPerStripe) {
        Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        BitSet bad = new BitSet();
        int stripes = record.stripes().size();
        Kind giveUp = record.shards().get(index).pending() ? Kind.PENDING : null;
        for (int s = 0; s < stripes; s++) {
            Kind kind = giveUp;
            if (kind == null) {
                kind = verify(key, record, backend, index, s);
                if (kind == Kind.UNREACHABLE) {
                    giveUp = Kind.UNREACHABLE;
                }
            }
            if (kind != null) {
                counts.merge(kind, 1L, Long::sum);
                badPerStripe.incrementAndGet(s);
                bad.set(s);
            }
        }
        if (stripes == 0 && giveUp == Kind.PENDING) {
            counts.put(Kind.PENDING, 0L);
        }
        return new Walk(counts, bad);
    }

    /** The problem with one shard, or null when it verifies. */
    static Kind verify(ObjectKey key, MetadataRecord record, ShardBackend backend, int index, int stripe) {
        StripeInfo info = record.stripes().get(stripe);
        byte[] bytes;
        try {
            bytes = backend.get(new ShardKey(key.hash(), record.shardGeneration(), stripe, index));
        } catch (BackendUnavailableException e) {
            return Kind.UNREACHABLE;
        }
        if (bytes == null) {
            return Kind.MISSING;
        }
        return ShardChecksum.matches(info.checksum(index), bytes, 0, bytes.length) ? null : Kind.CORRUPT;
    }
}
