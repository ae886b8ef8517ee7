package dev.quilt.zstor.meta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.zstor.config.MasterKey;
import dev.quilt.zstor.meta.MetadataRecord.ShardLocation;
import dev.quilt.zstor.meta.MetadataRecord.StripeInfo;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MetadataCodecPropertyTest {

    @Property(tries = 300)
    void decodeInvertsEncode(@ForAll("records") MetadataRecord record) throws Exception {
        byte[] encoded = MetadataCodec.encode(record);
        assertThat(MetadataCodec.decode(encoded)).isEqualTo(record);
        assertThat(MetadataCodec.encode(MetadataCodec.decode(encoded))).isEqualTo(encoded);
    }

    @Property(tries = 100)
    void openInvertsSeal(@ForAll("records") MetadataRecord record) throws Exception {
        MasterKey key = MasterKey.of(new byte[32]);
        assertThat(MetadataCodec.open(MetadataCodec.seal(record, key, new SecureRandom()), key)).isEqualTo(record);
    }

    @Provide
    Arbitrary<MetadataRecord> records() {
        Arbitrary<byte[]> ids = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40);
        Arbitrary<Integer> stripeSizes = Arbitraries.integers().between(1, 1 << 20);
        Arbitrary<Long> sizes = Arbitraries.longs().between(0, 40);
        Arbitrary<Integer> ks = Arbitraries.integers().between(1, 12);
        Arbitrary<Integer> ms = Arbitraries.integers().between(0, 6);
        Arbitrary<byte[]> keys = Arbitraries.bytes().array(byte[].class).ofMaxSize(80);
        Arbitrary<String> text = Arbitraries.strings().ofMinLength(1).ofMaxLength(30);
        Arbitrary<Long> seeds = Arbitraries.longs();
        return Combinators.combine(ids, stripeSizes, sizes, ks, ms, keys, text, seeds)
                .as((id, stripeSize, stripesWanted, k, m, key, name, seed) -> {
                    java.util.Random random = new java.util.Random(seed);
                    int n = k + m;
                    long size = stripesWanted == 0 ? 0 : (stripesWanted - 1) * stripeSize + 1 + random.nextInt(stripeSize);
                    List<ShardLocation> shards = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        shards.add(new ShardLocation("[" + name + "]:" + (i + 1), i % 2 == 0 ? name : "", random.nextBoolean()));
                    }
                    List<StripeInfo> stripes = new ArrayList<>();
                    for (long i = 0; i < MetadataRecord.stripeCount(size, stripeSize); i++) {
                        byte[] sums = new byte[n * StripeInfo.CHECKSUM_BYTES];
                        random.nextBytes(sums);
                        stripes.add(new StripeInfo(random.nextInt(Integer.MAX_VALUE), (byte) random.nextInt(), sums));
                    }
                    byte[] digest = new byte[32];
                    random.nextBytes(digest);
                    if (random.nextInt(8) == 0) {
                        return MetadataRecord.tombstone(id, random.nextLong() & Long.MAX_VALUE);
                    }
                    long generation = random.nextLong() & Long.MAX_VALUE;
                    return new MetadataRecord(id, generation, false, random.nextLong(generation + 1), size, stripeSize, k, m,
                            key, digest, shards, stripes);
                });
    }
}
