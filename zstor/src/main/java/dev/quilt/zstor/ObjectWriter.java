package dev.quilt.zstor;

import dev.quilt.zstor.backend.BackendUnavailableException;
import dev.quilt.zstor.backend.ShardBackend;
import dev.quilt.zstor.backend.ShardKey;
import dev.quilt.zstor.meta.MetadataRecord;
import dev.quilt.zstor.meta.MetadataRecord.ShardLocation;
import dev.quilt.zstor.meta.MetadataRecord.StripeInfo;
import dev.quilt.zstor.pipeline.ObjectCipher;
import dev.quilt.zstor.pipeline.ShardChecksum;
import dev.quilt.zstor.pipeline.StripeReader;
import dev.quilt.zstor.pipeline.StripeSealer;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongConsumer;

/**
 * The store path: stripes are read, sealed and encoded on the caller's thread, and each stripe's n
 * shards are written at once on virtual threads while the next stripe is encoded.
 *
 * <p><b>Memory.</b> At most {@code stripesInFlight} sets of n shard buffers exist, allocated once
 * and reused; the caller blocks for a free set, so memory is bounded by the stripe size, not the
 * object.
 *
 * <p><b>Quorum.</b> A shard index whose write fails once is given up for the rest of the object and
 * recorded as pending; the store succeeds while at least {@code write_quorum} indexes hold every
 * stripe, and a rebuild writes the pending ones later.
 *
 * <p><b>Hedging.</b> A stripe does not wait for a stalled backend: once {@code write_quorum} of its
 * writes succeeded, the others get a grace period ({@link StripeWrite}: as long again as the quorum
 * took, and at least their backend's write hedge delay and {@link #MIN_WRITE_GRACE_NANOS}); one still
 * running then is abandoned and its index is pending, like a failed one. The abandoned write keeps
 * its shard buffer until it ends (the slot gets a new one), and each backend has at most
 * {@code writesInFlight} writes outstanding across all stores, so a stalled backend holds a bounded
 * amount of memory and work.
 *
 * <p><b>Versions.</b> Shards of a new version go under a new generation, so the committed version
 * stays readable until the new metadata is written; the old version's shards are deleted after.
 */
final class ObjectWriter {

    /**
     * The least a straggling write gets once the quorum is in. A write given up leaves the object
     * degraded until a rebuild, unlike a read hedge, which only costs a second read; so the floor is
     * well above a healthy backend's hiccups (a new connection, a GC pause), and still far below a
     * read timeout.
     */
    private static final long MIN_WRITE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * How far apart two stores of one key that read the same previous version land: each adds a random
     * step of 1 to this many to the previous generation, so two processes storing the key at the same
     * moment (whose locks do not see each other) pick the same generation, and write over each other's
     * shards, with probability 2^-20 instead of always. The step is at least 1, so a store also lands
     * above a concurrent rebuild or delete, which take the previous generation plus one.
     */
    static final int GENERATION_SPREAD = 1 << 20;

    private final Engine engine;
    private final ShardPlacement placement;
    private final ShardSweeper sweeper;

    ObjectWriter(Engine engine, ShardPlacement placement, ShardSweeper sweeper) {
        this.engine = engine;
        this.placement = placement;
        this.sweeper = sweeper;
    }

    ObjectInfo store(ObjectKey key, InputStream in, LongConsumer progress) throws IOException {
        engine.lock(key).lock();
        try {
            Optional<MetadataRecord> previous = engine.read(key);
            long generation = Math.addExact(previous.map(MetadataRecord::generation).orElse(0L),
                    1 + engine.random.nextInt(GENERATION_SPREAD));
            List<ShardBackend> backends = placement.forStore(key);
            Attempt attempt = new Attempt(key, generation, backends);
            MetadataRecord record;
            try {
                record = attempt.run(in, progress);
            } catch (IOException | RuntimeException e) {
                sweeper.sweep(key.hash(), generation, attempt.stripes.size(), backends);
                throw e;
            }
            // A metadata write below quorum may still have reached some backend, whose copy a later
            // read would prefer; its shards must stay, so a failure here leaves them in place.
            engine.write(record);
            previous.filter(p -> !p.tombstone()).ifPresent(p -> sweeper.sweep(key.hash(), p.shardGeneration(),
                    p.stripes().size(), engine.backends(p)));
            return DefaultZstor.info(key.name(), record);
        } finally {
            engine.lock(key).unlock();
        }
    }

    /** One store of one version. */
    private final class Attempt {
        private final ObjectKey key;
        private final long generation;
        private final List<ShardBackend> backends;
        private final int n;
        private final AtomicReferenceArray<String> failures;
        private final BlockingQueue<byte[][]> freeSlots;
        private int slotsAllocated;
        private final List<StripeInfo> stripes = new ArrayList<>();

        Attempt(ObjectKey key, long generation, List<ShardBackend> backends) {
            this.key = key;
            this.generation = generation;
            this.backends = backends;
            this.n = backends.size();
            this.failures = new AtomicReferenceArray<>(n);
            this.freeSlots = new ArrayBlockingQueue<>(engine.tuning.stripesInFlight());
        }

        MetadataRecord run(InputStream in, LongConsumer progress) throws IOException {
            int stripeSize = engine.config.stripeSize();
            ObjectCipher cipher = ObjectCipher.create(engine.config.masterKey(), key.id(), engine.random);
            StripeReader reader = new StripeReader(in, stripeSize, engine.allocator);
            StripeSealer sealer = new StripeSealer(cipher, engine.config.compression(), stripeSize, engine.allocator);
            MessageDigest content = sha256();
            long size = 0;
            try {
                for (StripeReader.Stripe stripe = reader.next(); stripe != null; stripe = reader.next()) {
                    ShardChecksum.update(content, stripe.buffer(), 0, stripe.length());
                    StripeSealer.Sealed sealed = sealer.seal(stripe.index(), stripe.buffer(), stripe.length());
                    byte[][] shards = takeSlot(stripeSize);
                    engine.coding.encode(sealed.buffer(), sealed.length(), shards);
                    int shardLength = engine.coding.shardLength(sealed.length());
                    byte[] checksums = new byte[n * ShardChecksum.SIZE];
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(ShardChecksum.of(shards[i], 0, shardLength), 0, checksums,
                                i * ShardChecksum.SIZE, ShardChecksum.SIZE);
                    }
                    stripes.add(new StripeInfo(sealed.length(), sealed.flags(), checksums));
                    write(Math.toIntExact(stripe.index()), shards, shardLength);
                    size += stripe.length();
                    progress.accept(size);
                    requireQuorum();
                }
            } finally {
                awaitWrites();
            }
            requireQuorum();
            List<ShardLocation> locations = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                locations.add(Engine.location(backends.get(i).backend(), failures.get(i) != null));
            }
            return new MetadataRecord(key.id(), generation, false, generation, size, stripeSize,
                    engine.coding.dataShards(), n - engine.coding.dataShards(), cipher.wrappedKey(), content.digest(),
                    locations, stripes);
        }

        private byte[][] takeSlot(int stripeSize) throws IOException {
            byte[][] slot = freeSlots.poll();
            if (slot != null) {
                return slot;
            }
            if (slotsAllocated < engine.tuning.stripesInFlight()) {
                slotsAllocated++;
                int shardBytes = engine.coding.shardLength(StripeSealer.maxSealedLength(stripeSize));
                slot = new byte[n][];
                for (int i = 0; i < n; i++) {
                    slot[i] = engine.allocator.allocate(shardBytes);
                }
                return slot;
            }
            try {
                return freeSlots.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ZstorException("store of " + key + " interrupted");
            }
        }

        private void write(int stripe, byte[][] shards, int shardLength) {
            StripeWrite writes = new StripeWrite(n);
            for (int i = 0; i < n; i++) {
                if (failures.get(i) != null) {
                    writes.skip(i);
                    continue;
                }
                int index = i;
                // Taken now: an abandoned write keeps this buffer while the slot gets a new one.
                byte[] buffer = shards[i];
                engine.executor.execute(() -> writeShard(writes, stripe, index, buffer, shardLength));
            }
            engine.executor.execute(() -> settle(writes, stripe, shards));
        }

        private void writeShard(StripeWrite writes, int stripe, int index, byte[] buffer, int shardLength) {
            ShardBackend backend = backends.get(index);
            Semaphore permits = engine.writePermits(backend);
            boolean acquired = false;
            try {
                // A backend that has this many writes outstanding (stalled ones, abandoned by earlier
                // stripes or stores) gets no more; its index becomes pending like a failed one. A busy
                // healthy backend frees a permit well within the grace a straggler gets.
                acquired = permits.tryAcquire(grace(index), TimeUnit.NANOSECONDS);
                if (!acquired) {
                    fail(writes, stripe, index, "busy: " + engine.tuning.writesInFlight()
                            + " writes outstanding on " + backend.backend().id());
                    return;
                }
                if (!writes.running(index)) {
                    return;
                }
                // The slot is not reused before this write ended or was abandoned (then the slot gets
                // a new buffer), so a full-length shard goes out without a copy.
                byte[] shard = buffer.length == shardLength ? buffer : Arrays.copyOf(buffer, shardLength);
                backend.put(new ShardKey(key.hash(), generation, stripe, index), shard);
                writes.succeeded(index);
            } catch (BackendUnavailableException e) {
                fail(writes, stripe, index, e.getMessage());
            } catch (InterruptedException e) {
                fail(writes, stripe, index, "interrupted");
            } catch (RuntimeException e) {
                fail(writes, stripe, index, e.toString());
            } finally {
                if (acquired) {
                    permits.release();
                }
            }
        }

        private void fail(StripeWrite writes, int stripe, int index, String why) {
            if (writes.failed(index)) {
                failures.compareAndSet(index, null, "stripe " + stripe + ": " + why);
            }
        }

        private long grace(int index) {
            return Math.max(MIN_WRITE_GRACE_NANOS, backends.get(index).writeHealth().hedgeDelayNanos());
        }

        /** Waits for the stripe's writes, records the abandoned ones as failed, and gives the slot back. */
        private void settle(StripeWrite writes, int stripe, byte[][] shards) {
            try {
                List<Integer> abandoned = writes.await(engine.config.writeQuorum(), this::grace);
                for (int i : abandoned) {
                    failures.compareAndSet(i, null, "stripe " + stripe + ": no answer within "
                            + grace(i) / 1_000_000 + " ms after write_quorum indexes were written");
                    shards[i] = engine.allocator.allocate(shards[i].length);
                }
            } catch (InterruptedException e) {
                // The store is being torn down (the executor shut down); the slot is not needed again.
                for (int i = 0; i < n; i++) {
                    failures.compareAndSet(i, null, "stripe " + stripe + ": interrupted");
                }
            } finally {
                freeSlots.add(shards);
            }
        }

        private void awaitWrites() throws ZstorException {
            // Every slot handed out comes back once its writes finish.
            List<byte[][]> back = new ArrayList<>();
            try {
                while (back.size() < slotsAllocated) {
                    back.add(freeSlots.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ZstorException("store of " + key + " interrupted");
            } finally {
                freeSlots.addAll(back);
            }
        }

        private void requireQuorum() throws ZstorException {
            int quorum = engine.config.writeQuorum();
            List<String> why = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String failure = failures.get(i);
                if (failure != null) {
                    why.add("shard " + i + " on " + backends.get(i).backend().id() + ": " + failure);
                }
            }
            if (n - why.size() < quorum) {
                throw new ZstorException(String.format("store of %s failed: %d of %d shard indexes written"
                                + " (expected: write_quorum = %d); %s", key, n - why.size(), n, quorum,
                        String.join("; ", why)));
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
