package dev.quilt.zstor;

import dev.quilt.zstor.backend.ShardBackend;
import dev.quilt.zstor.config.ZstorConfig.Compression;
import dev.quilt.zstor.meta.MetadataRecord;
import dev.quilt.zstor.meta.MetadataRecord.StripeInfo;
import dev.quilt.zstor.pipeline.CorruptDataException;
import dev.quilt.zstor.pipeline.ObjectCipher;
import dev.quilt.zstor.pipeline.StripeSealer;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * The retrieve path: a few stripes are fetched ahead on virtual threads ({@link StripeFetcher}), and
 * the caller's thread opens (authenticates, decrypts, decompresses) them in order and writes them
 * out. Memory is bounded by the read-ahead, not the object. Nothing reaches the output before its
 * stripe authenticated. Shards are first decoded without checking their checksums (see
 * {@link StripeFetcher}); a stripe that does not authenticate is fetched again with them checked. The content digest is not recomputed: per-stripe authentication under the
 * object's key, with the stripe count and lengths from the authenticated metadata, already proves
 * every byte (see the README's Pipeline section).
 */
final class ObjectReader {

    private final Engine engine;
    private final StripeFetcher fetcher;

    ObjectReader(Engine engine, StripeFetcher fetcher) {
        this.engine = engine;
        this.fetcher = fetcher;
    }

    ObjectInfo retrieve(ObjectKey key, OutputStream out, LongConsumer progress) throws IOException {
        MetadataRecord record = engine.live(key);
        List<ShardBackend> backends = engine.backends(record);
        ObjectCipher cipher;
        try {
            cipher = ObjectCipher.unwrap(engine.config.masterKey(), key.id(), record.wrappedKey());
        } catch (CorruptDataException e) {
            throw new ZstorException("object " + key + ": " + e.getMessage(), e);
        }
        // Opening needs the zstd work buffer whatever the current config says: stripes record how they were written.
        StripeSealer sealer = new StripeSealer(cipher, new Compression(Compression.Algorithm.ZSTD, 1),
                record.stripeSize(), engine.allocator);
        byte[] plain = engine.allocator.allocate(record.stripeSize());
        int stripes = record.stripes().size();
        boolean[] skip = new boolean[record.totalShards()];
        Deque<Future<byte[]>> ahead = new ArrayDeque<>();
        // Sealed-stripe buffers, one per stripe in flight, handed back once a stripe is written out.
        Deque<byte[]> free = new ArrayDeque<>();
        int sealedMax = StripeSealer.maxSealedLength(record.stripeSize());
        int requested = 0;
        long written = 0;
        try {
            for (int s = 0; s < stripes; s++) {
                while (requested < stripes && requested < s + engine.tuning.readAhead()) {
                    int stripe = requested++;
                    byte[] into = free.isEmpty() ? engine.allocator.allocate(sealedMax) : free.pop();
                    ahead.add(engine.executor.submit(() -> {
                        StripeFetcher.Shards shards = fetcher.fetch(key, record, backends, stripe, skip, false, false);
                        engine.coding.join(shards.shards(), record.stripes().get(stripe).sealedLength(), into);
                        return into;
                    }));
                }
                byte[] sealed = await(ahead.removeFirst(), key, s);
                StripeInfo info = record.stripes().get(s);
                int length;
                try {
                    length = sealer.open(s, info.flags(), sealed, 0, info.sealedLength(), record.plainLength(s), plain);
                } catch (CorruptDataException unverified) {
                    // Some shard was bad: fetch the stripe again, this time checking every shard against
                    // its checksum, so the bad one is skipped and another backend asked.
                    StripeFetcher.Shards shards = fetcher.fetch(key, record, backends, s, skip, false, true);
                    engine.coding.join(shards.shards(), info.sealedLength(), sealed);
                    try {
                        length = sealer.open(s, info.flags(), sealed, 0, info.sealedLength(), record.plainLength(s), plain);
                    } catch (CorruptDataException e) {
                        throw new UnrecoverableObjectException("object " + key + ", stripe " + s + ": its shards match"
                                + " their checksums but the stripe does not open: " + e.getMessage());
                    }
                }
                free.push(sealed);
                out.write(plain, 0, length);
                written += length;
                progress.accept(written);
            }
        } finally {
            for (Future<byte[]> f : ahead) {
                f.cancel(true);
            }
        }
        return DefaultZstor.info(key.name(), record);
    }

    private static byte[] await(Future<byte[]> future, ObjectKey key, int stripe) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZstorException("retrieve of " + key + " interrupted at stripe " + stripe);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
