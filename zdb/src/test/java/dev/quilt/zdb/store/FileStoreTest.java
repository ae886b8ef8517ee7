package dev.quilt.zdb.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.quilt.zdb.store.StoreFixture.b;
import static dev.quilt.zdb.store.StoreFixture.ns;
import static dev.quilt.zdb.store.StoreFixture.s;
import static dev.quilt.zdb.store.StoreFixture.scanAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileStoreTest {
    @TempDir
    Path dir;

    @Test
    void setThenGetReturnsTheValueAndSetAnswersTheKey() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            assertThat(ns.set(b("k"), b("v1"), 10)).isInstanceOfSatisfying(SetOutcome.Stored.class,
                    st -> assertThat(s(st.key())).isEqualTo("k"));
            assertThat(s(ns.get(b("k")))).isEqualTo("v1");
            assertThat(ns.get(b("missing"))).isNull();
            assertThat(ns.exists(b("k"))).isTrue();
            assertThat(ns.info(b("k")).length()).isEqualTo(2);
            assertThat(ns.info(b("k")).timestamp()).isEqualTo(10);
            assertThat(ns.size()).isEqualTo(1);
            assertThat(ns.dataSize()).isEqualTo(2);
            assertThat(ns.check(b("k"))).isEqualTo(1);
            assertThat(ns.check(b("nope"))).isNull();
            ns.checkInvariants();
        }
    }

    @Test
    void emptyValueIsStoredAndReadBackEmpty() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            ns.set(b("k"), new byte[0], 1);
            assertThat(ns.get(b("k"))).isEmpty();
        }
    }

    @Test
    void identicalValueIsUnchangedAndWritesNothing() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            ns.set(b("k"), b("v"), 1);
            long end = ns.stats().activeDataOffset();
            assertThat(ns.set(b("k"), b("v"), 2)).isInstanceOf(SetOutcome.Unchanged.class);
            assertThat(ns.stats().activeDataOffset()).isEqualTo(end);
        }
    }

    @Test
    void refusesKeysThatAreTooLargeOrEmptyInUserMode() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            assertThat(ns.set(new byte[256], b("v"), 1)).isEqualTo(new SetOutcome.Refused("Key too large"));
            assertThat(ns.set(new byte[0], b("v"), 1)).isEqualTo(new SetOutcome.Refused("Invalid argument, key needed"));
            assertThat(ns.set(new byte[255], b("v"), 1)).isInstanceOf(SetOutcome.Stored.class);
        }
    }

    @Test
    void wormNamespaceRefusesOverwriteAndDeleteButAcceptsNewKeys() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            Namespace ns = store.create("w");
            ns.set(b("k"), b("v"), 1);
            ns.updateSettings(ns.settings().withWorm(true));
            assertThat(ns.set(b("k"), b("other"), 1)).isEqualTo(new SetOutcome.Refused("Namespace is protected by worm mode"));
            assertThat(ns.set(b("k"), b("v"), 1)).isInstanceOf(SetOutcome.Unchanged.class);
            assertThat(ns.delete(b("k"), 1)).isEqualTo(DeleteOutcome.WORM_PROTECTED);
            assertThat(ns.set(b("new"), b("v"), 1)).isInstanceOf(SetOutcome.Stored.class);
        }
    }

    @Test
    void maxSizeCountsTheValueBeingReplaced() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            Namespace ns = store.create("m");
            ns.updateSettings(ns.settings().withMaxSize(10));
            assertThat(ns.set(b("a"), new byte[8], 1)).isInstanceOf(SetOutcome.Stored.class);
            assertThat(ns.set(b("b"), new byte[3], 1)).isEqualTo(new SetOutcome.Refused("No space left on this namespace"));
            assertThat(ns.set(b("a"), new byte[10], 1)).isInstanceOf(SetOutcome.Stored.class);
            assertThat(ns.dataSize()).isEqualTo(10);
        }
    }

    @Test
    void deleteAppendsATombstoneAndForgetsTheKey() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            ns.set(b("k"), b("v"), 1);
            assertThat(ns.delete(b("k"), 2)).isEqualTo(DeleteOutcome.DELETED);
            assertThat(ns.delete(b("k"), 2)).isEqualTo(DeleteOutcome.NOT_FOUND);
            assertThat(ns.get(b("k"))).isNull();
            assertThat(ns.size()).isZero();
            assertThat(ns.dataSize()).isZero();
            assertThat(ns.history(b("k"), null)).isEqualTo(new HistoryOutcome.Refused("Key not found"));
            ns.checkInvariants();
        }
        try (Store store = StoreFixture.open(dir)) {
            assertThat(ns(store, "default").get(b("k"))).isNull();
        }
    }

    @Test
    void scanWalksLiveKeysInOrderOfLastWriteAndRscanBackwards() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            for (String k : List.of("a", "b", "c", "d")) {
                ns.set(b(k), b("v" + k), 1);
            }
            ns.set(b("b"), b("changed"), 2);
            ns.delete(b("c"), 3);
            assertThat(scanAll(ns, false)).containsExactly("a", "d", "b");
            assertThat(scanAll(ns, true)).containsExactly("b", "d", "a");
        }
    }

    @Test
    void scanOfEmptyNamespaceIsEmpty() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            assertThat(ns.scan(null, 10, Long.MAX_VALUE).isEmpty()).isTrue();
            assertThat(ns.rscan(null, 10, Long.MAX_VALUE).isEmpty()).isTrue();
        }
    }

    @Test
    void scanReturnsAtLeastOneEntryPastTheDeadline() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            ns.set(b("a"), b("1"), 1);
            ns.set(b("b"), b("2"), 1);
            ScanBatch batch = ns.scan(null, 100, System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
            assertThat(batch.entries()).hasSize(1);
        }
    }

    @Test
    void cursorOfAKeyContinuesAfterItAndStaysValidAfterOverwrite() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            ns.set(b("a"), b("1"), 1);
            ns.set(b("b"), b("2"), 1);
            ns.set(b("c"), b("3"), 1);
            byte[] cursor = ns.cursorOf(b("a"));
            assertThat(cursor).hasSize(17);
            ns.set(b("a"), b("new"), 2);
            ScanBatch batch = ns.scan(cursor, 10, Long.MAX_VALUE);
            assertThat(batch.entries()).extracting(e -> s(e.key())).containsExactly("b", "c", "a");
        }
    }

    @Test
    void malformedOrForeignCursorsAreRejected() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            ns.set(b("a"), b("1"), 1);
            byte[] good = ns.cursorOf(b("a"));
            assertThatThrownBy(() -> ns.scan(new byte[16], 1, Long.MAX_VALUE)).isInstanceOf(InvalidCursorException.class)
                    .hasMessage("Invalid key format");
            assertThatThrownBy(() -> ns.scan(new byte[17], 1, Long.MAX_VALUE)).isInstanceOf(InvalidCursorException.class);
            for (int i = 0; i < 17; i++) {
                byte[] bad = good.clone();
                bad[i] ^= 0x40;
                assertThatThrownBy(() -> ns.rscan(bad, 1, Long.MAX_VALUE)).isInstanceOf(InvalidCursorException.class);
            }
        }
    }

    @Test
    void historyWalksVersionsNewestFirstAndEndsWithNull() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            ns.set(b("k"), b("v1"), 1);
            ns.set(b("other"), b("x"), 1);
            ns.set(b("k"), b("v2"), 2);
            ns.set(b("k"), b("v3"), 3);
            List<String> seen = new ArrayList<>();
            byte[] ekey = null;
            do {
                HistoryOutcome.Version v = (HistoryOutcome.Version) ns.history(b("k"), ekey);
                seen.add(s(v.payload()) + "@" + v.timestamp());
                ekey = v.previous();
            } while (ekey != null);
            assertThat(seen).containsExactly("v3@3", "v2@2", "v1@1");
        }
    }

    @Test
    void historyRefusesBadEkeys() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            ns.set(b("k"), b("v1"), 1);
            ns.set(b("j"), b("v1"), 1);
            ns.set(b("k"), b("v2"), 1);
            byte[] prev = ((HistoryOutcome.Version) ns.history(b("k"), null)).previous();
            assertThat(ns.history(b("k"), new byte[7])).isEqualTo(new HistoryOutcome.Refused("Invalid arguments"));
            assertThat(ns.history(b("k"), new byte[8])).isEqualTo(new HistoryOutcome.Refused("No more history"));
            assertThat(ns.history(b("j"), prev)).isEqualTo(new HistoryOutcome.Refused("Invalid arguments (invalid key)"));
            byte[] off = prev.clone();
            off[4] += 1;
            assertThat(ns.history(b("k"), off)).isEqualTo(new HistoryOutcome.Refused("Invalid arguments (index query)"));
            assertThat(ns.history(b("k"), Bytes.position(99, 20)))
                    .isEqualTo(new HistoryOutcome.Refused("Invalid arguments (index query)"));
            assertThat(ns.history(b("gone"), prev)).isEqualTo(new HistoryOutcome.Refused("Key not found"));
        }
    }

    @Test
    void rawRecordServesRecordsAndReportsEndAndInvalidPositions() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            ns.set(b("k"), b("v"), 7);
            ns.set(b("e"), new byte[0], 8);
            ns.delete(b("k"), 9);
            EntryInfo info = ns.info(b("e"));
            RawRecordOutcome.Record first = (RawRecordOutcome.Record) ns.rawRecord(0, DataFile.HEADER_SIZE);
            assertThat(s(first.key())).isEqualTo("k");
            assertThat(s(first.payload())).isEqualTo("v");
            assertThat(first.timestamp()).isEqualTo(7);
            RawRecordOutcome.Record second = (RawRecordOutcome.Record) ns.rawRecord(0, info.offset());
            assertThat(second.payload()).isNull();
            assertThat(second.previous()).isEqualTo(DataFile.HEADER_SIZE);
            long tombstone = info.offset() + DataFile.RECORD_HEADER_SIZE + 1;
            assertThat(ns.rawRecord(0, tombstone)).isInstanceOf(RawRecordOutcome.Invalid.class);
            assertThat(ns.rawRecord(0, DataFile.HEADER_SIZE + 1)).isInstanceOf(RawRecordOutcome.Invalid.class);
            assertThat(ns.rawRecord(0, ns.stats().activeDataOffset())).isInstanceOf(RawRecordOutcome.EndOfFile.class);
            assertThat(ns.rawRecord(5, 0)).isInstanceOf(RawRecordOutcome.Invalid.class);
        }
    }

    @Test
    void smallDataFilesRotateAndEverythingSurvivesReopen() throws Exception {
        List<String> jumps = new ArrayList<>();
        StoreListener listener = new StoreListener() {
            @Override
            public void jumped(String namespace, Path oldIndex, Path newIndex, Path oldData, Path newData) {
                jumps.add(oldData.getFileName() + "->" + newData.getFileName());
            }
        };
        byte[] value = new byte[10_000];
        try (Store store = StoreFixture.open(dir, listener)) {
            FileNamespace ns = ns(store, "default");
            for (int i = 0; i < 200; i++) {
                value[0] = (byte) i;
                ns.set(b("key" + i), value, i);
            }
            assertThat(ns.stats().activeFileId()).isGreaterThanOrEqualTo(3);
            ns.checkInvariants();
        }
        assertThat(jumps).startsWith("d0->d1", "d1->d2");
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            assertThat(ns.size()).isEqualTo(200);
            for (int i = 0; i < 200; i++) {
                assertThat(ns.get(b("key" + i))[0]).isEqualTo((byte) i);
            }
            assertThat(scanAll(ns, false)).hasSize(200).startsWith("key0", "key1");
            assertThat(scanAll(ns, true)).hasSize(200).startsWith("key199");
            ns.checkInvariants();
            assertThat(store.stats().recoveredBytesCut()).isZero();
        }
    }

    @Test
    void jumpOpensTheNextPairAndHistoryCrossesFiles() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            ns.set(b("k"), b("v1"), 1);
            assertThat(ns.isFresh()).isFalse();
            ns.jump();
            ns.set(b("k"), b("v2"), 2);
            assertThat(ns.stats().activeFileId()).isEqualTo(1);
            HistoryOutcome.Version v = (HistoryOutcome.Version) ns.history(b("k"), null);
            HistoryOutcome.Version older = (HistoryOutcome.Version) ns.history(b("k"), v.previous());
            assertThat(s(older.payload())).isEqualTo("v1");
            assertThat(Bytes.u32(v.previous(), 0)).isZero();
        }
    }

    @Test
    void settingsPersistAcrossReopen() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            Namespace ns = store.create("s");
            ns.updateSettings(ns.settings().withPublic(false).withWorm(true).withMaxSize(1234)
                    .withPassword(Optional.of("secret")).withMode(Mode.SEQ));
        }
        try (Store store = StoreFixture.open(dir)) {
            NamespaceSettings s = store.namespace("s").orElseThrow().settings();
            assertThat(s).isEqualTo(new NamespaceSettings(false, true, 1234, Optional.of("secret"), Mode.SEQ));
            assertThat(store.names()).containsExactly("default", "s");
        }
    }

    @Test
    void modeChangesOnlyWhileFresh() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            Namespace ns = store.create("m");
            ns.set(b("k"), b("v"), 1);
            assertThatThrownBy(() -> ns.updateSettings(ns.settings().withMode(Mode.SEQ)))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void namespacesAreListedDefaultFirstThenInCreationOrder() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            store.create("zz");
            store.create("aa");
            assertThatThrownBy(() -> store.create("aa")).isInstanceOf(IllegalStateException.class);
            for (String bad : List.of("default", ".", "..", "a/b", "", "x".repeat(129))) {
                assertThatThrownBy(() -> store.create(bad)).isInstanceOf(IllegalArgumentException.class);
            }
        }
        try (Store store = StoreFixture.open(dir)) {
            assertThat(store.names()).containsExactly("default", "zz", "aa");
        }
    }

    @Test
    void deletingANamespaceRemovesItsDirectories() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            Namespace ns = store.create("gone");
            ns.set(b("k"), b("v"), 1);
            store.delete("gone");
            assertThat(ns.isDeleted()).isTrue();
            assertThat(dir.resolve("data/gone")).doesNotExist();
            assertThat(dir.resolve("index/gone")).doesNotExist();
            assertThatThrownBy(() -> ns.get(b("k"))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> store.delete("default")).isInstanceOf(IllegalArgumentException.class);
            Namespace again = store.create("gone");
            assertThat(again.size()).isZero();
        }
    }

    @Test
    void flushAllReallyDeletesTheFiles() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            for (int i = 0; i < 100; i++) {
                ns.set(b("k" + i), new byte[10_000], 1);
            }
            ns.flushAll();
            assertThat(ns.size()).isZero();
            assertThat(ns.isFresh()).isTrue();
            try (Stream<Path> files = Files.list(dir.resolve("data/default"))) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("d0");
            }
            assertThat(Files.size(dir.resolve("data/default/d0"))).isEqualTo(DataFile.HEADER_SIZE);
        }
        try (Store store = StoreFixture.open(dir)) {
            assertThat(ns(store, "default").size()).isZero();
        }
    }

    @Test
    void reloadPicksUpTheFilesAgain() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            ns.set(b("k"), b("v"), 1);
            store.flush();
            ns.reload();
            assertThat(s(ns.get(b("k")))).isEqualTo("v");
            ns.checkInvariants();
        }
    }

    @Test
    void secondOpenOfTheSameDirectoriesIsLocked() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            assertThatThrownBy(() -> StoreFixture.open(dir)).isInstanceOf(StoreLockedException.class);
        }
        StoreFixture.open(dir).close();
    }

    @Test
    void dataAndIndexRootsMustDiffer() {
        StoreConfig same = new StoreConfig(dir.resolve("x"), dir.resolve("x/../x"), Optional.empty(),
                StoreFixture.SMALL_FILES, false, java.time.Duration.ZERO, 0);
        assertThatThrownBy(() -> Store.open(same, StoreListener.NONE, Runnable::run))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durableCompletesOnceForcedAndConcurrentCallersShareFsyncs() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            List<java.util.concurrent.CompletableFuture<Void>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ns.set(b("k" + i), b("v"), 1);
                futures.add(store.durable());
            }
            java.util.concurrent.CompletableFuture.allOf(futures.toArray(new java.util.concurrent.CompletableFuture[0]))
                    .get(30, TimeUnit.SECONDS);
            assertThat(store.stats().fsyncs()).isBetween(1L, 20L);
        }
    }

    @Test
    void durableForcesValuesLargerThanTheAppendBuffer() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            ns.set(b("big"), new byte[AppendFile.BUFFER_SIZE * 2], 1);
            store.durable().get(30, TimeUnit.SECONDS);
            assertThat(store.stats().fsyncs()).isEqualTo(1);
            store.durable().get(30, TimeUnit.SECONDS);
            assertThat(store.stats().fsyncs()).isEqualTo(1);
        }
    }

    @Test
    void syncIntervalForcesFlushedWritesWithoutAnyoneAsking() throws Exception {
        StoreConfig cfg = new StoreConfig(dir.resolve("data"), dir.resolve("index"), Optional.empty(),
                StoreFixture.SMALL_FILES, false, java.time.Duration.ofMillis(20), 0);
        try (Store store = Store.open(cfg, StoreListener.NONE, Runnable::run)) {
            ns(store, "default").set(b("k"), b("v"), 1);
            store.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (store.stats().fsyncs() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(store.stats().fsyncs()).as("fsyncs after waiting for the periodic sync").isPositive();
        }
    }

    @Test
    void scanAndRscanCrossFileBoundariesFromCursors() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            ns.set(b("a"), b("1"), 1);
            ns.jump();
            ns.jump();
            ns.set(b("b"), b("2"), 1);
            ns.jump();
            ns.set(b("c"), b("3"), 1);
            ScanBatch first = ns.scan(null, 1, Long.MAX_VALUE);
            assertThat(first.entries()).extracting(e -> s(e.key())).containsExactly("a");
            assertThat(ns.scan(first.nextCursor(), 10, Long.MAX_VALUE).entries()).extracting(e -> s(e.key()))
                    .containsExactly("b", "c");
            ScanBatch last = ns.rscan(null, 1, Long.MAX_VALUE);
            assertThat(last.entries()).extracting(e -> s(e.key())).containsExactly("c");
            assertThat(ns.rscan(last.nextCursor(), 10, Long.MAX_VALUE).entries()).extracting(e -> s(e.key()))
                    .containsExactly("b", "a");
            assertThat(ns.rscan(ns.cursorOf(b("a")), 10, Long.MAX_VALUE).isEmpty()).isTrue();
            assertThat(ns.scan(ns.cursorOf(b("c")), 10, Long.MAX_VALUE).isEmpty()).isTrue();
        }
    }

    @Test
    void listenerHearsLifecycleEvents() throws Exception {
        List<String> events = new ArrayList<>();
        StoreListener listener = new StoreListener() {
            @Override
            public void namespacesInit(Path indexRoot, Path dataRoot) {
                events.add("init");
            }

            @Override
            public void namespaceCreated(String name) {
                events.add("created " + name);
            }

            @Override
            public void namespaceUpdated(String name) {
                events.add("updated " + name);
            }

            @Override
            public void namespaceReloaded(String name) {
                events.add("reloaded " + name);
            }

            @Override
            public void namespaceDeleted(String name) {
                events.add("deleted " + name);
            }

            @Override
            public void namespaceClosing(String name, Path index, Path data) {
                events.add("closing " + name + " " + index.getFileName() + " " + data.getFileName());
            }
        };
        try (Store store = StoreFixture.open(dir, listener)) {
            Namespace ns = store.create("x");
            ns.updateSettings(ns.settings().withPublic(false));
            ns.reload();
            store.create("y");
            store.delete("y");
        }
        assertThat(events).containsExactly("init", "created x", "updated x", "reloaded x", "created y", "deleted y",
                "closing default i0 d0", "closing x i0 d0");
    }

    @Test
    void missingClosedDataFileAsksTheListenerAndRetries() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            ns.set(b("k"), b("v"), 1);
            ns.jump();
        }
        Path d0 = dir.resolve("data/default/d0");
        Path aside = dir.resolve("d0.offloaded");
        Files.move(d0, aside);
        List<Path> asked = new ArrayList<>();
        try (Store store = StoreFixture.open(dir, StoreFixture.restoringFrom(aside, asked))) {
            FileNamespace ns = ns(store, "default");
            assertThat(ns.size()).isEqualTo(1);
            assertThat(s(ns.get(b("k")))).isEqualTo("v");
            assertThat(asked).containsExactly(d0);
        }
    }

    @Test
    void missingDataFileWithoutHelpIsAnIoError() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            ns.set(b("k"), b("v"), 1);
            ns.jump();
        }
        Files.delete(dir.resolve("data/default/d0"));
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            assertThatThrownBy(() -> ns.get(b("k"))).isInstanceOf(java.io.IOException.class);
            assertThat(ns.check(b("k"))).isEqualTo(-1);
        }
    }

    @Test
    void corruptPayloadIsNeverServed() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            ns(store, "default").set(b("k"), b("value"), 1);
        }
        Path d0 = dir.resolve("data/default/d0");
        byte[] bytes = Files.readAllBytes(d0);
        bytes[bytes.length - 1] ^= 1;
        Files.write(d0, bytes);
        // The marker says clean, so the tail is trusted at load: the read itself must catch it.
        try (Store store = StoreFixture.open(dir)) {
            FileNamespace ns = ns(store, "default");
            assertThatThrownBy(() -> ns.get(b("k"))).isInstanceOf(java.io.IOException.class);
            assertThat(ns.check(b("k"))).isZero();
        }
        assertThat(Arrays.copyOf(bytes, 4)).isEqualTo(DataFile.MAGIC);
    }
}
