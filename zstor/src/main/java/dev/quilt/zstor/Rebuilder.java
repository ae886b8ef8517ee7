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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Repairs an object: scrubs it, and for every shard index that is missing, corrupt, unreachable or
 * pending, rebuilds that index's shards of every stripe from k verified ones and writes them to the
 * same backend when it answers, else to a stand-in chosen by placement that the object does not use
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
                }
            }
            String[] failed = writeAll(key, record, backends, bad, targets);
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

    /** Rebuilds and writes the target indexes of every stripe; returns, per index, why its writes failed. */
    private String[] writeAll(ObjectKey key, MetadataRecord record, List<ShardBackend> backends, boolean[] bad,
            List<Integer> targets) throws UnrecoverableObjectException {
        String[] failed = new String[record.totalShards()];
        if (targets.isEmpty()) {
            return failed;
        }
        for (int s = 0; s < record.stripes().size(); s++) {
            StripeFetcher.Shards shards = fetcher.fetch(key, record, engine.backends(record), s,
                    Arrays.copyOf(bad, bad.length), true, true);
            int stripe = s;
            List<Integer> live = targets.stream().filter(i -> failed[i] == null).toList();
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
