package dev.quilt.zdb.store;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.quilt.zdb.store.StoreFixture.b;
import static org.assertj.core.api.Assertions.assertThat;

class RecoveryTest {
    @TempDir
    Path dir;

    /** Writes n keys without closing cleanly (no marker), returning each record's data offset. */
    private static List<Long> writeUnclean(Path dir, int n) throws Exception {
        List<Long> offsets = new ArrayList<>();
        Store store = StoreFixture.open(dir);
        FileNamespace ns = StoreFixture.ns(store, "default");
        for (int i = 0; i < n; i++) {
            ns.set(b("key" + i), b("value-" + i + "-" + "x".repeat(i % 50)), i);
            offsets.add(ns.info(b("key" + i)).offset());
        }
        store.flush();
        ((FileStore) store).abandon();
        return offsets;
    }

    @Property(tries = 12)
    void garbageFromARandomOffsetIsCutAndEverythingBeforeSurvives(@ForAll @IntRange(min = 0, max = 1_000_000) int seed)
            throws Exception {
        Path root = TempDirs.create("zdb-garbage");
        List<Long> offsets = writeUnclean(root, 60);
        Path d0 = root.resolve("data/default/d0");
        long size = Files.size(d0);
        Random rnd = new Random(seed);
        long from = DataFile.HEADER_SIZE + (long) (rnd.nextDouble() * (size - DataFile.HEADER_SIZE - 1));
        byte[] garbage = new byte[(int) (size - from)];
        rnd.nextBytes(garbage);
        try (RandomAccessFile f = new RandomAccessFile(d0.toFile(), "rw")) {
            f.seek(from);
            f.write(garbage);
        }
        List<Long> cuts = new ArrayList<>();
        StoreListener listener = new StoreListener() {
            @Override
            public void truncated(Path file, long offset, long bytesCut) {
                cuts.add(bytesCut);
            }
        };
        try (Store store = StoreFixture.open(root, listener)) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            int intact = 0;
            for (int i = 0; i < offsets.size(); i++) {
                long end = i + 1 < offsets.size() ? offsets.get(i + 1) : size;
                if (end <= from) {
                    intact++;
                    assertThat(StoreFixture.s(ns.get(b("key" + i)))).startsWith("value-" + i + "-");
                } else {
                    assertThat(ns.get(b("key" + i))).isNull();
                }
            }
            assertThat(ns.size()).isEqualTo(intact);
            assertThat(store.stats().recoveredBytesCut()).isPositive();
            assertThat(cuts).hasSize(1);
            ns.checkInvariants();
            ns.set(b("after"), b("crash"), 1);
        }
        try (Store store = StoreFixture.open(root)) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            assertThat(StoreFixture.s(ns.get(b("after")))).isEqualTo("crash");
            assertThat(store.stats().recoveredBytesCut()).isZero();
            ns.checkInvariants();
        }
        TempDirs.delete(root);
    }

    @Property(tries = 12)
    void tornDataTailsAreCut(@ForAll @IntRange(min = 1, max = 400) int cut) throws Exception {
        Path root = TempDirs.create("zdb-torn");
        List<Long> offsets = writeUnclean(root, 20);
        Path d0 = root.resolve("data/default/d0");
        long size = Files.size(d0);
        long newSize = Math.max(DataFile.HEADER_SIZE, size - cut);
        try (RandomAccessFile f = new RandomAccessFile(d0.toFile(), "rw")) {
            f.setLength(newSize);
        }
        try (Store store = StoreFixture.open(root)) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            long expected = 0;
            for (int i = 0; i < offsets.size(); i++) {
                long end = i + 1 < offsets.size() ? offsets.get(i + 1) : size;
                if (end <= newSize) {
                    expected++;
                    assertThat(ns.get(b("key" + i))).isNotNull();
                } else {
                    assertThat(ns.get(b("key" + i))).isNull();
                }
            }
            assertThat(ns.size()).isEqualTo(expected);
            ns.checkInvariants();
        }
        TempDirs.delete(root);
    }

    @Property(tries = 8)
    void tornIndexTailsAreRebuiltFromData(@ForAll @IntRange(min = 1, max = 300) int cut) throws Exception {
        Path root = TempDirs.create("zdb-torn-index");
        try (Store store = StoreFixture.open(root)) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            for (int i = 0; i < 20; i++) {
                ns.set(b("key" + i), b("v" + i), i);
            }
        }
        Path i0 = root.resolve("index/default/i0");
        try (RandomAccessFile f = new RandomAccessFile(i0.toFile(), "rw")) {
            f.setLength(Math.max(0, f.length() - cut));
        }
        try (Store store = StoreFixture.open(root)) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            assertThat(ns.size()).isEqualTo(20);
            assertThat(store.stats().recoveredBytesCut()).isZero();
            assertThat(StoreFixture.scanAll(ns, true)).hasSize(20).startsWith("key19");
            ns.checkInvariants();
        }
        TempDirs.delete(root);
    }

    @Test
    void staleIndexGenerationIsRebuiltFromData() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            ns.set(b("a"), b("1"), 1);
            ns.set(b("b"), b("2"), 1);
        }
        Path i0 = dir.resolve("index/default/i0");
        byte[] bytes = Files.readAllBytes(i0);
        bytes[12] ^= 1;
        Files.write(i0, bytes);
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            assertThat(ns.size()).isEqualTo(2);
            assertThat(StoreFixture.scanAll(ns, false)).containsExactly("a", "b");
            ns.checkInvariants();
        }
    }

    @Test
    void missingIndexIsRebuiltFromData() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            ns.set(b("a"), b("1"), 1);
            ns.jump();
            ns.set(b("b"), b("2"), 1);
        }
        Files.delete(dir.resolve("index/default/i0"));
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            assertThat(StoreFixture.scanAll(ns, false)).containsExactly("a", "b");
            ns.checkInvariants();
        }
    }

    @Test
    void aDataFileWithAForeignHeaderStopsTheOpenAndReleasesTheLocks() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            StoreFixture.ns(store, "default").set(b("k"), b("v"), 1);
        }
        Path d0 = dir.resolve("data/default/d0");
        byte[] bytes = Files.readAllBytes(d0);
        bytes[0] = 'X';
        Files.write(d0, bytes);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StoreFixture.open(dir))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("d0");
        bytes[0] = 'Q';
        Files.write(d0, bytes);
        try (Store store = StoreFixture.open(dir)) {
            assertThat(StoreFixture.s(StoreFixture.ns(store, "default").get(b("k")))).isEqualTo("v");
        }
    }

    @Test
    void flushedWritesSurviveAnUncleanStop() throws Exception {
        writeUnclean(dir, 10);
        try (Store store = StoreFixture.open(dir)) {
            assertThat(StoreFixture.ns(store, "default").size()).isEqualTo(10);
            assertThat(store.stats().recoveredBytesCut()).isZero();
        }
    }
}
