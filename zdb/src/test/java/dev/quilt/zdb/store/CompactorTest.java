package dev.quilt.zdb.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.quilt.zdb.store.StoreFixture.b;
import static dev.quilt.zdb.store.StoreFixture.s;
import static org.assertj.core.api.Assertions.assertThat;

class CompactorTest {
    @TempDir
    Path dir;

    private static long dataBytes(Path dir) throws Exception {
        try (var files = Files.list(dir.resolve("data/default"))) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void compactionDropsGarbageKeepsLiveKeysAndSurvivesReopen() throws Exception {
        byte[] big = new byte[20_000];
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 50; i++) {
                    big[0] = (byte) (round * 50 + i);
                    ns.set(b("k" + i), big, round);
                }
            }
            for (int i = 0; i < 10; i++) {
                ns.delete(b("k" + i), 9);
            }
            ns.jump();
            long before = dataBytes(dir);
            CompactionReport report = ns.compact();
            assertThat(report.filesCompacted()).isPositive();
            assertThat(report.recordsDropped()).isEqualTo(100 + 10 + 10);
            assertThat(report.bytesAfter()).isLessThan(report.bytesBefore());
            assertThat(dataBytes(dir)).isLessThan(before);
            assertThat(ns.size()).isEqualTo(40);
            for (int i = 10; i < 50; i++) {
                assertThat(ns.get(b("k" + i))[0]).isEqualTo((byte) (100 + i));
                HistoryOutcome.Version v = (HistoryOutcome.Version) ns.history(b("k" + i), null);
                assertThat(v.previous()).isNull();
            }
            assertThat(ns.get(b("k3"))).isNull();
            assertThat(StoreFixture.scanAll(ns, false)).hasSize(40);
            ns.checkInvariants();
            assertThat(ns.compact().filesCompacted()).isZero();
        }
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            assertThat(ns.size()).isEqualTo(40);
            assertThat(ns.get(b("k3"))).isNull();
            assertThat(ns.get(b("k42"))[0]).isEqualTo((byte) 142);
            ns.checkInvariants();
        }
    }

    @Test
    void cursorsIntoRewrittenFilesBecomeInvalidButScanStillSeesEveryKey() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            ns.set(b("a"), b("1"), 1);
            ns.set(b("a"), b("2"), 1);
            ns.set(b("b"), b("3"), 1);
            byte[] stale = ns.cursorOf(b("b"));
            ns.jump();
            ns.set(b("c"), b("4"), 1);
            ns.compact();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ns.scan(stale, 10, Long.MAX_VALUE))
                    .isInstanceOf(InvalidCursorException.class);
            assertThat(StoreFixture.scanAll(ns, false)).containsExactly("a", "b", "c");
            assertThat(StoreFixture.scanAll(ns, true)).containsExactly("c", "b", "a");
        }
    }

    @Test
    void compactionNeverTouchesTheActiveFile() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            ns.set(b("k"), b("1"), 1);
            ns.set(b("k"), b("2"), 1);
            assertThat(ns.compact().filesCompacted()).isZero();
            HistoryOutcome.Version v = (HistoryOutcome.Version) ns.history(b("k"), null);
            assertThat(v.previous()).isNotNull();
        }
    }

    @Test
    void writesDuringCompactionWin() throws Exception {
        // The owner thread is a single-thread executor; the test thread compacts, like the server would.
        ExecutorService owner = Executors.newSingleThreadExecutor();
        try (Store store = owner.submit(() -> Store.open(StoreFixture.config(dir, java.util.Optional.empty(),
                StoreFixture.SMALL_FILES), StoreListener.NONE, owner)).get()) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            owner.submit(() -> {
                for (int i = 0; i < 100; i++) {
                    ns.set(b("k" + i), b("old" + i), 1);
                    ns.set(b("k" + i), b("old2-" + i), 1);
                }
                ns.jump();
                return null;
            }).get();
            Future<CompactionReport> compaction = Executors.newVirtualThreadPerTaskExecutor().submit(ns::compact);
            owner.submit(() -> {
                for (int i = 0; i < 100; i += 2) {
                    ns.set(b("k" + i), b("new" + i), 2);
                }
                ns.delete(b("k1"), 3);
                return null;
            }).get();
            compaction.get(60, TimeUnit.SECONDS);
            owner.submit(() -> {
                assertThat(s(ns.get(b("k4")))).isEqualTo("new4");
                assertThat(s(ns.get(b("k5")))).isEqualTo("old2-5");
                assertThat(ns.get(b("k1"))).isNull();
                ns.checkInvariants();
                return null;
            }).get();
            owner.submit(() -> {
                store.close();
                return null;
            }).get();
        } finally {
            owner.shutdown();
        }
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            assertThat(s(ns.get(b("k4")))).isEqualTo("new4");
            assertThat(s(ns.get(b("k5")))).isEqualTo("old2-5");
            assertThat(ns.get(b("k1"))).isNull();
            assertThat(ns.size()).isEqualTo(99);
        }
    }

    @Test
    void crashBetweenDataAndIndexRenameIsCaughtByTheGeneration() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            ns.set(b("a"), b("1"), 1);
            ns.set(b("a"), b("2"), 1);
            ns.set(b("b"), b("3"), 1);
            ns.jump();
        }
        // Keep the old index, compact, then put the old index back: as if the index rename never happened.
        byte[] oldIndex = Files.readAllBytes(dir.resolve("index/default/i0"));
        try (Store store = StoreFixture.open(dir)) {
            StoreFixture.ns(store, "default").compact();
        }
        Files.write(dir.resolve("index/default/i0"), oldIndex);
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            assertThat(s(ns.get(b("a")))).isEqualTo("2");
            assertThat(s(ns.get(b("b")))).isEqualTo("3");
            assertThat(StoreFixture.scanAll(ns, false)).containsExactly("a", "b");
            ns.checkInvariants();
        }
    }
}
