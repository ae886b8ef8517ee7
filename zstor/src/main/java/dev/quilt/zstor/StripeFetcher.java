package dev.quilt.zstor;

import dev.quilt.zstor.backend.BackendUnavailableException;
import dev.quilt.zstor.backend.ShardBackend;
import dev.quilt.zstor.backend.ShardKey;
import dev.quilt.zstor.meta.MetadataRecord;
import dev.quilt.zstor.meta.MetadataRecord.StripeInfo;
import dev.quilt.zstor.pipeline.ShardChecksum;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads one stripe from any k of its n shards, fastest backends first.
 *
 * <p>It asks the k backends with the best latency average. A shard that fails, is missing or does
 * not match its checksum is an erasure, and the next backend is asked. A shard that has not arrived
 * within its backend's hedge delay (a high percentile of its latency) makes it ask the next
 * backend too, without cancelling the slow one: the first k good shards win. So one stalled backend
 * costs a hedge delay, not a timeout.
 *
 * <p>With {@code checksums}, only shards that match their checksums are decoded. Without, shards of
 * the right length are taken as they come: a reader does that first, because the stripe's
 * authentication tag covers every byte the shards decode to, so a bad shard is caught there anyway,
 * and hashing every shard would cost the read path more CPU than anything else it does. A stripe that
 * then fails to authenticate is fetched again with {@code checksums}, which names the bad shard and
 * routes around it.
 */
final class StripeFetcher {

    /** The shards of a stripe, each verified or rebuilt from verified ones: the k data shards, or all n when asked. */
    record Shards(byte[][] shards, int shardLength) {
    }

    private record Arrival(int index, byte[] bytes, String problem) {
    }

    private final Engine engine;

    StripeFetcher(Engine engine) {
        this.engine = engine;
    }

    /**
     * Fetches and decodes stripe {@code stripe}.
     *
     * @param skip shard indexes not to ask for (pending ones, or ones being rebuilt)
     * @param allShards rebuild every missing shard, parity too (a rebuild writes them); else only
     *     the data shards are guaranteed
     * @param checksums verify each shard against its checksum before decoding; without, a corrupt
     *     shard is left for the stripe's authentication to catch
     * @throws UnrecoverableObjectException when fewer than k shards verify, saying why each one failed
     */
    Shards fetch(ObjectKey key, MetadataRecord record, List<ShardBackend> backends, int stripe, boolean[] skip,
            boolean allShards, boolean checksums) throws UnrecoverableObjectException {
        int n = record.totalShards();
        int k = record.dataShards();
        StripeInfo info = record.stripes().get(stripe);
        int shardLength = engine.coding.shardLength(info.sealedLength());
        String[] problems = new String[n];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (skip[i] || record.shards().get(i).pending()) {
                problems[i] = "pending (not written, waiting for a rebuild)";
            } else {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingLong(i -> backends.get(i).health().rank()));

        byte[][] shards = new byte[n][];
        boolean[] present = new boolean[n];
        LinkedBlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
        long[] hedgeAt = new long[n];
        boolean[] hedged = new boolean[n];
        int next = 0;
        int outstanding = 0;
        int good = 0;
        for (; next < order.size() && next < k; next++) {
            hedgeAt[order.get(next)] = ask(key, record, backends, stripe, order.get(next), arrivals);
            outstanding++;
        }
        while (good < k) {
            if (outstanding == 0) {
                throw unrecoverable(key, record, backends, stripe, good, problems);
            }
            long now = System.nanoTime();
            long wait = Long.MAX_VALUE;
            int due = -1;
            for (int j = 0; j < next; j++) {
                int i = order.get(j);
                if (!hedged[i] && !present[i] && problems[i] == null && hedgeAt[i] - now < wait) {
                    wait = hedgeAt[i] - now;
                    due = i;
                }
            }
            Arrival arrival;
            try {
                arrival = next < order.size() && due >= 0
                        ? arrivals.poll(Math.max(0, wait), TimeUnit.NANOSECONDS) : arrivals.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnrecoverableObjectException("reading stripe " + stripe + " of " + key + " was interrupted");
            }
            if (arrival == null) {
                // The slowest pending ask is overdue: ask one more backend alongside it.
                hedged[due] = true;
                hedgeAt[order.get(next)] = ask(key, record, backends, stripe, order.get(next), arrivals);
                next++;
                outstanding++;
                continue;
            }
            outstanding--;
            int i = arrival.index();
            byte[] bytes = arrival.bytes();
            if (bytes != null && bytes.length == shardLength
                    && (!checksums || ShardChecksum.matches(info.checksum(i), bytes, 0, shardLength))) {
                shards[i] = bytes;
                present[i] = true;
                good++;
                continue;
            }
            problems[i] = arrival.problem() != null ? arrival.problem()
                    : bytes.length != shardLength ? "corrupt (" + bytes.length + " bytes, expected " + shardLength + ")"
                    : "corrupt (" + bytes.length + " bytes do not match the checksum in the metadata)";
            if (good + outstanding < k && next < order.size()) {
                hedgeAt[order.get(next)] = ask(key, record, backends, stripe, order.get(next), arrivals);
                next++;
                outstanding++;
            }
        }
        boolean dataPresent = true;
        for (int i = 0; i < k; i++) {
            dataPresent &= present[i];
        }
        // A reader needs only the data shards; rebuilding the parity it did not fetch is wasted work.
        if (!dataPresent || allShards) {
            engine.coding.reconstruct(shards, present, shardLength);
        }
        return new Shards(shards, shardLength);
    }

    /** Starts one GET on a virtual thread; returns when to hedge it. */
    private long ask(ObjectKey key, MetadataRecord record, List<ShardBackend> backends, int stripe, int index,
            LinkedBlockingQueue<Arrival> arrivals) {
        ShardBackend backend = backends.get(index);
        ShardKey shardKey = new ShardKey(key.hash(), record.shardGeneration(), stripe, index);
        engine.executor.execute(() -> {
            try {
                byte[] bytes = backend.get(shardKey);
                arrivals.add(new Arrival(index, bytes, bytes == null ? "missing (the backend answered without it)" : null));
            } catch (BackendUnavailableException e) {
                arrivals.add(new Arrival(index, null, e.getMessage()));
            } catch (RuntimeException e) {
                arrivals.add(new Arrival(index, null, "failed: " + e));
            }
        });
        return System.nanoTime() + backend.health().hedgeDelayNanos();
    }

    private static UnrecoverableObjectException unrecoverable(ObjectKey key, MetadataRecord record,
            List<ShardBackend> backends, int stripe, int good, String[] problems) {
        List<String> why = new ArrayList<>();
        for (int i = 0; i < problems.length; i++) {
            if (problems[i] != null) {
                why.add("shard " + i + " on " + backends.get(i).backend().id() + ": " + problems[i]);
            }
        }
        return new UnrecoverableObjectException(String.format(
                "object %s cannot be read: stripe %d has %d good shards of %d (expected: at least %d); %s",
                key, stripe, good, record.totalShards(), record.dataShards(), String.join("; ", why)));
    }
}
