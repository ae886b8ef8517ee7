package dev.quilt.zstor;

import dev.quilt.zstor.CheckReport.Health;
import dev.quilt.zstor.CheckReport.ShardProblem.Kind;
import dev.quilt.zstor.backend.Backend;
import dev.quilt.zstor.backend.Fanout;
import dev.quilt.zstor.backend.ShardBackend;
import dev.quilt.zstor.backend.ShardKey;
import dev.quilt.zstor.meta.MetadataRecord;
import dev.quilt.zstor.meta.MetadataRecord.ShardLocation;
import dev.quilt.zstor.pipeline.ShardChecksum;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Repairs an object: scrubs it, and for every shard index that is missing, corrupt, unreachable or
 * pending, rebuilds that index's bad shards from k verified ones and writes them to the same backend
 * when it answers (only the stripes whose shard is missing, corrupt or, for a pending index, does not
 * verify), else every stripe of it to a stand-in chosen by placement that the object does not use
 * yet. Then writes the metadata as a new generation (the shard keys keep the generation they were
 * stored under). An index whose writes fail stays pending.
 *
 * <p>Rebuilt shards are Reed-Solomon's output for the stored, sealed stripe, so they are byte for
 * byte the shards first written (each is checked against its recorded checksum before it is
 * written); nothing is re-encrypted, so no nonce is reused.
 */
final class Rebuilder {

    private final Engine engine;
    private final Scrubber scrubber;
    private final StripeFetcher fetcher;
    private final ShardPlacement placement;

    Rebuilder(Engine engine, Scrubber scrubber, StripeFetcher fetcher, ShardPlacement placement) {
        this.engine = engine;
        this.scrubber = scrubber;
        this.fetcher = fetcher;
        this.placement = placement;
    }

    RebuildReport rebuild(ObjectKey key) throws IOException {
        engine.lock(key).lock();
        try {
            MetadataRecord record = engine.live(key);
            Scrubber.Result scrub = scrubber.scrub(key, record);
            if (scrub.report().health() == Health.HEALTHY) {
                return new RebuildReport(key.name(), List.of(), List.of(), Health.HEALTHY);
            }
            int n = record.totalShards();
            List<ShardBackend> backends = new ArrayList<>(engine.backends(record));
            Set<String> used = new HashSet<>();
            for (ShardBackend b : backends) {
                used.add(b.backend().id());
            }
            boolean[] bad = new boolean[n];
            List<Integer> targets = new ArrayList<>();
            BitSet[] rewrite = new BitSet[n];
            for (int i = 0; i < n; i++) {
                Kind kind = scrub.kinds()[i];
                if (kind == null) {
                    continue;
                }
                bad[i] = true;
                Backend current = backends.get(i).backend();
                Optional<Backend> target = placement.reachable(current) ? Optional.of(current)
                        : placement.forRebuild(key, current, used);
                if (target.isPresent()) {
                    used.add(target.get().id());
                    backends.set(i, engine.backend(target.get()));
                    targets.add(i);
                    rewrite[i] = stripesToWrite(key, record, i, kind, !target.get().equals(current),
                            scrub.badStripes()[i], backends.get(i));
                }
            }
            String[] failed = writeAll(key, record, backends, scrub.badStripes(), targets, rewrite);
            List<ShardLocation> locations = new ArrayList<>(record.shards());
            List<Integer> rewritten = new ArrayList<>();
            List<String> movedTo = new ArrayList<>();
            boolean anyStillBad = false;
            for (int i = 0; i < n; i++) {
                if (!bad[i]) {
                    continue;
                }
                if (targets.contains(i) && failed[i] == null) {
                    rewritten.add(i);
                    movedTo.add(backends.get(i).backend().id());
                    locations.set(i, Engine.location(backends.get(i).backend(), false));
                } else {
                    // Left where it was, as it was: an unreachable backend may come back with its shards.
                    anyStillBad = true;
                }
            }
            engine.write(record.withShards(record.generation() + 1, locations));
            return new RebuildReport(key.name(), rewritten, movedTo, anyStillBad ? Health.DEGRADED : Health.HEALTHY);
        } finally {
            engine.lock(key).unlock();
        }
    }

    /**
     * The stripes whose shard {@code index} must be written: every stripe when the index moves to a
     * stand-in; else the ones the scrub found bad, and for a pending index (which the scrub does not
     * read: a write abandoned by a store may still have landed) the ones that do not verify now.
     */
    private BitSet stripesToWrite(ObjectKey key, MetadataRecord record, int index, Kind kind, boolean moved,
            BitSet scrubbed, ShardBackend target) {
        int stripes = record.stripes().size();
        BitSet all = new BitSet(stripes);
        all.set(0, stripes);
        if (moved) {
            return all;
        }
        if (kind != Kind.PENDING) {
            return scrubbed;
        }
        BitSet missing = new BitSet(stripes);
        for (int s = 0; s < stripes; s++) {
            Kind found = Scrubber.verify(key, record, target, index, s);
            if (found == Kind.UNREACHABLE) {
                missing.or(all.get(s, stripes));
                break;
            }
            if (found != null) {
                missing.set(s);
            }
        }
        return missing;
    }

    /**
     * Rebuilds and writes, per stripe, the target indexes bad in it; a stripe with none is not even read.
     * Returns, per index, why its writes failed.
     */
    private String[] writeAll(ObjectKey key, MetadataRecord record, List<ShardBackend> backends, BitSet[] bad,
            List<Integer> targets, BitSet[] rewrite) throws UnrecoverableObjectException {
        int n = record.totalShards();
        String[] failed = new String[n];
        for (int s = 0; s < record.stripes().size(); s++) {
            int stripe = s;
            List<Integer> live = targets.stream().filter(i -> failed[i] == null && rewrite[i].get(stripe)).toList();
            if (live.isEmpty()) {
                continue;
            }
            boolean[] skip = new boolean[n];
            for (int i = 0; i < n; i++) {
                skip[i] = bad[i].get(s);
            }
            StripeFetcher.Shards shards = fetcher.fetch(key, record, engine.backends(record), s, skip, true, true);
            for (Fanout.Outcome<Integer, Boolean> outcome : Fanout.each(engine.executor, live, i -> {
                byte[] shard = shards.shards()[i];
                if (!ShardChecksum.matches(record.stripes().get(stripe).checksum(i), shard, 0, shards.shardLength())) {
                    throw new IOException("rebuilt shard " + i + " of stripe " + stripe
                            + " does not match its recorded checksum");
                }
                backends.get(i).put(new ShardKey(key.hash(), record.shardGeneration(), stripe, i),
                        Arrays.copyOf(shard, shards.shardLength()));
                return true;
            })) {
                if (!outcome.ok()) {
                    failed[outcome.item()] = outcome.error().getMessage();
                }
            }
        }
        return failed;
    }
}
