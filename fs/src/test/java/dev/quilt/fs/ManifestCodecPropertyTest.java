package dev.quilt.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Hash256;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Round trip, and the promise a network-fetched parser must keep: any input decodes or fails with CodecException. */
class ManifestCodecPropertyTest {

    /** A random consistent tree from a seed: directories, files of random sizes with holes, symlinks. */
    static Manifest randomManifest(long seed) {
        Random random = new Random(seed);
        int chunkSize = 4096 << random.nextInt(3);
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry("", Entry.Kind.DIRECTORY, 0755, 0, 0, random.nextLong(), 0, "", List.of()));
        List<String> dirs = new ArrayList<>(List.of(""));
        int count = random.nextInt(12);
        for (int i = 0; i < count; i++) {
            String parent = dirs.get(random.nextInt(dirs.size()));
            String path = (parent.isEmpty() ? "" : parent + "/") + "n" + i + (random.nextBoolean() ? "é" : "");
            int mode = random.nextInt(07777 + 1);
            switch (random.nextInt(3)) {
                case 0 -> {
                    entries.add(new Entry(path, Entry.Kind.DIRECTORY, mode, 1, 2, random.nextLong(), 0, "", List.of()));
                    dirs.add(path);
                }
                case 1 -> {
                    long size = random.nextInt(5 * chunkSize);
                    List<ChunkRef> chunks = new ArrayList<>();
                    for (long off = 0; off < size; off += chunkSize) {
                        int len = (int) Math.min(chunkSize, size - off);
                        byte[] h = new byte[32];
                        random.nextBytes(h);
                        chunks.add(random.nextInt(4) == 0 ? ChunkRef.hole(len) : new ChunkRef(Hash256.of(h), len));
                    }
                    entries.add(new Entry(path, Entry.Kind.FILE, mode, 1000, 1000, random.nextLong(), size, "", chunks));
                }
                default -> entries.add(new Entry(path, Entry.Kind.SYMLINK, 0777, 0, 0, random.nextLong(), 3, "../x",
                        List.of()));
            }
        }
        entries.sort(Comparator.comparing(Entry::path));
        OptionalLong height = random.nextBoolean() ? OptionalLong.of(random.nextLong(0, Long.MAX_VALUE)) : OptionalLong.empty();
        return new Manifest(chunkSize, height, entries);
    }

    @Provide
    Arbitrary<Manifest> manifests() {
        return Arbitraries.longs().map(ManifestCodecPropertyTest::randomManifest);
    }

    @Property
    void decodeInvertsEncode(@ForAll("manifests") Manifest m) {
        assertThat(ManifestCodec.INSTANCE.decode(m.encode())).isEqualTo(m);
    }

    @Property(tries = 2000)
    void mutatedManifestsEitherReEncodeIdenticallyOrFailWithCodecException(@ForAll("manifests") Manifest m,
            @ForAll int position, @ForAll byte value) {
        byte[] bytes = m.encode();
        bytes[Math.floorMod(position, bytes.length)] = value;
        decodeOrCodecException(bytes);
    }

    @Property(tries = 1000)
    void truncatedManifestsFailWithCodecException(@ForAll("manifests") Manifest m, @ForAll int cut) {
        byte[] bytes = m.encode();
        byte[] shorter = java.util.Arrays.copyOf(bytes, Math.floorMod(cut, bytes.length));
        decodeOrCodecException(shorter);
    }

    @Property(tries = 1000)
    void randomBytesDecodeOrFailWithCodecException(@ForAll @Size(max = 200) byte[] input) {
        decodeOrCodecException(input);
    }

    private static void decodeOrCodecException(byte[] bytes) {
        Manifest decoded;
        try {
            decoded = ManifestCodec.INSTANCE.decode(bytes);
        } catch (CodecException expected) {
            return;
        }
        assertThat(decoded.encode()).isEqualTo(bytes);
    }
}
