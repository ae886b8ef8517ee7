package dev.quilt.zstor.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.zstor.config.MasterKey;
import dev.quilt.zstor.meta.MetadataRecord.ShardLocation;
import dev.quilt.zstor.meta.MetadataRecord.StripeInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MetadataCodecTest {

    static final MasterKey MASTER = MasterKey.of(new byte[32]);

    static MetadataRecord threeStripes() {
        byte[] digest = new byte[32];
        for (int i = 0; i < 32; i++) {
            digest[i] = (byte) i;
        }
        return new MetadataRecord("obj-1".getBytes(StandardCharsets.US_ASCII), 7, false, 5, 10, 4, 2, 1,
                new byte[] {(byte) 0xaa, (byte) 0xbb, (byte) 0xcc}, digest,
                List.of(new ShardLocation("10.0.0.1:9900", "data", false), new ShardLocation("[fe80::1]:9900", "", true),
                        new ShardLocation("hé:1", "ns", false)),
                List.of(stripe(20, 1, 0x11, 0x22, 0x33), stripe(20, 0, 0x44, 0x55, 0x66), stripe(18, 0, 0x77, 0x88, 0x99)));
    }

    static MetadataRecord emptyObject() {
        return new MetadataRecord(new byte[] {(byte) 0xff}, 0, false, 0, 0, 4 << 20, 1, 0, new byte[0],
                HexFormat.of().parseHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                List.of(new ShardLocation("zdb:9900", "", false)), List.of());
    }

    static MetadataRecord tombstone() {
        return MetadataRecord.tombstone("obj-1".getBytes(StandardCharsets.US_ASCII), 0x0102030405060708L);
    }

    private static StripeInfo stripe(int sealedLength, int flags, int... fills) {
        byte[] sums = new byte[fills.length * 16];
        for (int i = 0; i < fills.length; i++) {
            Arrays.fill(sums, i * 16, i * 16 + 16, (byte) fills[i]);
        }
        return new StripeInfo(sealedLength, (byte) flags, sums);
    }

    static byte[] vector(String name) throws IOException {
        try (InputStream in = MetadataCodecTest.class.getResourceAsStream("/vectors/" + name)) {
            String hex = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("#"))
                    .map(String::strip)
                    .collect(Collectors.joining());
            return HexFormat.of().parseHex(hex);
        }
    }

    @Test
    void encodesByteForByteAsTheGoldenVectors() throws Exception {
        assertThat(HexFormat.of().formatHex(MetadataCodec.encode(threeStripes())))
                .isEqualTo(HexFormat.of().formatHex(vector("metadata-v1-three-stripes.hex")));
        assertThat(MetadataCodec.encode(emptyObject())).isEqualTo(vector("metadata-v1-empty-object.hex"));
        assertThat(MetadataCodec.decode(vector("metadata-v1-three-stripes.hex"))).isEqualTo(threeStripes());
        assertThat(MetadataCodec.decode(vector("metadata-v1-empty-object.hex"))).isEqualTo(emptyObject());
        assertThat(MetadataCodec.encode(tombstone())).isEqualTo(vector("metadata-v1-tombstone.hex"));
        assertThat(MetadataCodec.decode(vector("metadata-v1-tombstone.hex"))).isEqualTo(tombstone());
    }

    @Test
    void sealedRecordOpensWithTheSameKeyOnly() throws Exception {
        byte[] sealed = MetadataCodec.seal(threeStripes(), MASTER, new SecureRandom());
        assertThat(MetadataCodec.open(sealed, MASTER)).isEqualTo(threeStripes());

        byte[] other = new byte[32];
        other[31] = 1;
        assertThatThrownBy(() -> MetadataCodec.open(sealed, MasterKey.of(other)))
                .isInstanceOf(CorruptMetadataException.class)
                .hasMessageContaining("does not authenticate")
                .hasMessageContaining("master key (encryption.key)");
    }

    @Test
    void anyFlippedBitOfASealedRecordIsRefused() {
        byte[] sealed = MetadataCodec.seal(emptyObject(), MASTER, new SecureRandom());
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] tampered = sealed.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> MetadataCodec.open(tampered, MASTER)).isInstanceOf(CorruptMetadataException.class);
        }
        assertThatThrownBy(() -> MetadataCodec.open(Arrays.copyOf(sealed, 20), MASTER))
                .isInstanceOf(CorruptMetadataException.class);
        assertThatThrownBy(() -> MetadataCodec.open(new byte[0], MASTER))
                .hasMessageContaining("0 bytes, version -1");
    }

    @Test
    void garbagePlaintextGivesAClearError() throws Exception {
        byte[] good = vector("metadata-v1-three-stripes.hex");
        assertThatThrownBy(() -> MetadataCodec.decode(new byte[] {2}))
                .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("version: 2 (expected: 1)");
        assertThatThrownBy(() -> MetadataCodec.decode(Arrays.copyOf(good, 28)))
                .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("size: record ends early");
        assertThatThrownBy(() -> MetadataCodec.decode(Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("nothing after");
        byte[] hugeSize = good.clone();
        hugeSize[24] = 0x7f; // size's top byte: 2^62 bytes of stripes would be claimed
        assertThatThrownBy(() -> MetadataCodec.decode(hugeSize))
                .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("bytes left for");
        byte[] badUtf8 = good.clone();
        int at = 1 + 1 + 5 + 8 + 1 + 8 + 8 + 4 + 2 + 2 + 3 + 32 + 2;
        badUtf8[at] = (byte) 0xc3;
        assertThatThrownBy(() -> MetadataCodec.decode(badUtf8))
                .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("shards[0]: not valid UTF-8");
        for (int seed = 0; seed < 200; seed++) {
            byte[] random = new byte[seed];
            new java.util.Random(seed).nextBytes(random);
            if (random.length > 0) {
                random[0] = 1;
            }
            assertThatThrownBy(() -> MetadataCodec.decode(random)).isInstanceOf(CorruptMetadataException.class);
        }
    }

    @Test
    void tombstoneWithTrailingBytesOrUnknownKindIsRefused() throws Exception {
        byte[] good = vector("metadata-v1-tombstone.hex");
        assertThatThrownBy(() -> MetadataCodec.decode(Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("tombstone followed by 1 bytes");
        byte[] badKind = good.clone();
        badKind[good.length - 1] = 2;
        assertThatThrownBy(() -> MetadataCodec.decode(badKind))
                .isInstanceOf(CorruptMetadataException.class).hasMessageContaining("kind: 2");
    }

    @Test
    void recordRefusesInconsistentCounts() {
        assertThatThrownBy(() -> new MetadataRecord(new byte[] {1}, 0, false, 0, 9, 4, 1, 0, new byte[0], new byte[32],
                List.of(new ShardLocation("a:1", "", false)), List.of(stripe(4, 0, 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stripes: 1 (expected: ceil(size / stripeSize) = 3)");
        assertThat(threeStripes().plainLength(2)).isEqualTo(2);
        assertThat(threeStripes().pendingShards()).containsExactly(1);
        assertThat(IntStream.range(0, 3).map(threeStripes()::plainLength).sum()).isEqualTo(10);
    }
}
