package dev.quilt.zstor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.zdb.client.ZdbClient;
import dev.quilt.zstor.backend.ShardKey;
import dev.quilt.zstor.config.ZstorConfig;
import dev.quilt.zstor.meta.MetadataRecord;
import dev.quilt.zstor.meta.ObjectHash;
import dev.quilt.zstor.pipeline.BufferAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Any object, stripe size and code comes back byte for byte after up to m shards of each stripe were
 * deleted or corrupted on their backends. Six data and three metadata zdbs run in this JVM for the
 * whole property; objects stay small so it runs in seconds.
 */
class ZstorRoundTripPropertyTest {

    private static Path dir;
    private static ZdbCluster cluster;

    @BeforeContainer
    static void start() throws IOException {
        dir = Files.createTempDirectory("zstor-roundtrip");
        cluster = new ZdbCluster(dir, 6, 3);
    }

    @AfterContainer
    static void stop() throws IOException {
        cluster.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Property(tries = 25)
    void anyObjectSurvivesUpToMDamagedShardsPerStripe(
            @ForAll @IntRange(min = 0, max = 400_000) int size,
            @ForAll @IntRange(min = 1, max = 4) int k,
            @ForAll @IntRange(min = 0, max = 2) int m,
            @ForAll @IntRange(min = 1, max = 3) int stripeUnits,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) throws IOException {
        String toml = cluster.config(k, k + m, 6, 0, "stripe_size = " + stripeUnits * 65536);
        try (DefaultZstor zstor = new DefaultZstor(ZstorConfig.parse(toml), ZstorClusterIT.TUNING,
                BufferAllocator.heap())) {
            String key = "object-" + seed;
            byte[] content = ZstorClusterIT.seeded(seed, size);
            ZstorClusterIT.store(zstor, key, content);
            MetadataRecord record = zstor.metadata(key);
            damage(record, key, new SplittableRandom(seed));
            assertThat(ZstorClusterIT.retrieve(zstor, key)).isEqualTo(content);
        }
    }

    /** Deletes or flips a byte of up to m random shards in every stripe, straight on the backends. */
    private static void damage(MetadataRecord record, String key, SplittableRandom random) throws IOException {
        byte[] hash = ObjectHash.of(key.getBytes(StandardCharsets.UTF_8));
        int n = record.totalShards();
        for (int s = 0; s < record.stripes().size(); s++) {
            int erasures = random.nextInt(record.parityShards() + 1);
            for (int e = 0; e < erasures; e++) {
                int index = random.nextInt(n);
                byte[] shardKey = new ShardKey(hash, record.shardGeneration(), s, index).bytes();
                try (ZdbClient direct = cluster.dataNode(record.shards().get(index).address()).client()) {
                    byte[] shard = direct.get(shardKey);
                    if (shard == null) {
                        continue;
                    }
                    if (random.nextBoolean()) {
                        direct.del(shardKey);
                    } else {
                        shard[random.nextInt(shard.length)] ^= (byte) (1 + random.nextInt(255));
                        direct.set(shardKey, shard);
                    }
                }
            }
        }
    }
}
