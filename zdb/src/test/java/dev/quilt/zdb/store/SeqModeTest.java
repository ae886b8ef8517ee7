package dev.quilt.zdb.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static dev.quilt.zdb.store.StoreFixture.b;
import static dev.quilt.zdb.store.StoreFixture.s;
import static org.assertj.core.api.Assertions.assertThat;

class SeqModeTest {
    @TempDir
    Path dir;

    private Store openSeq() throws Exception {
        return Store.open(StoreFixture.config(dir, Optional.of(Mode.SEQ), StoreFixture.SMALL_FILES),
                StoreListener.NONE, Runnable::run);
    }

    private static byte[] id(long n) {
        return Bytes.le64(n);
    }

    private static byte[] stored(SetOutcome o) {
        return ((SetOutcome.Stored) o).key();
    }

    @Test
    void emptyKeyAppendsSequentialLittleEndianIds() throws Exception {
        try (Store store = openSeq()) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            assertThat(ns.mode()).isEqualTo(Mode.SEQ);
            assertThat(stored(ns.set(new byte[0], b("a"), 1))).isEqualTo(id(0));
            assertThat(stored(ns.set(new byte[0], b("b"), 1))).isEqualTo(id(1));
            assertThat(s(ns.get(id(1)))).isEqualTo("b");
            assertThat(ns.stats().nextSeqId()).isEqualTo(2);
            ns.checkInvariants();
        }
    }

    @Test
    void updatingAnExistingIdDoesNotConsumeAnId() throws Exception {
        try (Store store = openSeq()) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            ns.set(new byte[0], b("a"), 1);
            assertThat(stored(ns.set(id(0), b("a2"), 2))).isEqualTo(id(0));
            assertThat(stored(ns.set(new byte[0], b("b"), 1))).isEqualTo(id(1));
            assertThat(s(ns.get(id(0)))).isEqualTo("a2");
            assertThat(ns.size()).isEqualTo(2);
            assertThat(ns.dataSize()).isEqualTo(3);
            HistoryOutcome.Version v = (HistoryOutcome.Version) ns.history(id(0), null);
            assertThat(s(((HistoryOutcome.Version) ns.history(id(0), v.previous())).payload())).isEqualTo("a");
        }
    }

    @Test
    void unknownOrMalformedKeysAreOnlyUpdateAuthorized() throws Exception {
        try (Store store = openSeq()) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            ns.set(new byte[0], b("a"), 1);
            SetOutcome refused = new SetOutcome.Refused("Invalid key, only update authorized");
            assertThat(ns.set(id(5), b("x"), 1)).isEqualTo(refused);
            assertThat(ns.set(b("abc"), b("x"), 1)).isEqualTo(refused);
            assertThat(ns.get(b("abc"))).isNull();
            assertThat(ns.get(id(9))).isNull();
        }
    }

    @Test
    void deletedIdsAreNotReusedEvenAfterCompactionAndReopen() throws Exception {
        try (Store store = openSeq()) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            ns.set(new byte[0], b("a"), 1);
            ns.set(new byte[0], b("b"), 1);
            assertThat(ns.delete(id(1), 2)).isEqualTo(DeleteOutcome.DELETED);
            assertThat(ns.exists(id(1))).isFalse();
            ns.jump();
            ns.compact();
            ns.checkInvariants();
        }
        try (Store store = openSeq()) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            assertThat(ns.size()).isEqualTo(1);
            assertThat(s(ns.get(id(0)))).isEqualTo("a");
            assertThat(stored(ns.set(new byte[0], b("c"), 1))).isEqualTo(id(2));
            assertThat(StoreFixture.scanAll(ns, false)).hasSize(2);
        }
    }

    @Test
    void seqNamespaceSurvivesReopenWithRotation() throws Exception {
        try (Store store = openSeq()) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            for (int i = 0; i < 300; i++) {
                ns.set(new byte[0], new byte[5000], i);
            }
            ns.set(id(7), b("seven"), 1);
        }
        try (Store store = openSeq()) {
            FileNamespace ns = StoreFixture.ns(store, "default");
            assertThat(ns.size()).isEqualTo(300);
            assertThat(s(ns.get(id(7)))).isEqualTo("seven");
            assertThat(ns.info(id(7)).length()).isEqualTo(5);
            assertThat(ns.cursorOf(id(7))).hasSize(17);
            assertThat(ns.dataSize()).isEqualTo(299L * 5000 + 5);
            ns.checkInvariants();
        }
    }

    @Test
    void forcedModeMismatchOnAUsedNamespaceRefusesToStart() throws Exception {
        try (Store store = StoreFixture.open(dir)) {
            store.namespace("default").orElseThrow().set(b("k"), b("v"), 1);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(this::openSeq).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("mode");
    }
}
