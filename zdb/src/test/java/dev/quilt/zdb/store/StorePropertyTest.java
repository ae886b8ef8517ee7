package dev.quilt.zdb.store;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Random operation sequences against a {@link TreeMap} reference model, in both modes. */
class StorePropertyTest {

    sealed interface Op {
        record Set(int key, int length, int seed) implements Op { }
        record Delete(int key) implements Op { }
        record Jump() implements Op { }
        record Reopen() implements Op { }
        /** Flush, then stop as a killed process would: no clean-shutdown marker. */
        record Crash() implements Op { }
        record Compact() implements Op { }
    }

    @Provide
    Arbitrary<Op> ops() {
        Arbitrary<Integer> key = Arbitraries.integers().between(0, 24);
        Arbitrary<Integer> length = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, 300)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(20_000, 120_000)));
        Arbitrary<Op> set = Combinators.combine(key, length, Arbitraries.integers().between(0, 3))
                .as(Op.Set::new);
        Arbitrary<Op> delete = key.map(Op.Delete::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, set),
                net.jqwik.api.Tuple.of(3, delete),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Op.Jump())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Op.Reopen())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Op.Crash())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new Op.Compact())));
    }

    private static byte[] value(int length, int seed) {
        byte[] v = new byte[length];
        new Random(length * 31L + seed).nextBytes(v);
        return v;
    }

    private static Store open(Path dir, Mode mode) throws Exception {
        return Store.open(StoreFixture.config(dir, Optional.of(mode), StoreFixture.SMALL_FILES), StoreListener.NONE,
                Runnable::run);
    }

    @Property(tries = 40)
    void userModeMatchesTheModel(@ForAll @Size(max = 60) List<@net.jqwik.api.From("ops") Op> ops) throws Exception {
        Path dir = TempDirs.create("zdb-prop");
        TreeMap<String, byte[]> model = new TreeMap<>();
        Store store = open(dir, Mode.USER);
        try {
            for (Op op : ops) {
                FileNamespace ns = StoreFixture.ns(store, "default");
                switch (op) {
                    case Op.Set s -> {
                        String k = "key" + s.key();
                        byte[] v = value(s.length(), s.seed());
                        SetOutcome out = ns.set(k.getBytes(StandardCharsets.UTF_8), v, 1);
                        boolean same = model.containsKey(k) && Arrays.equals(model.get(k), v);
                        assertThat(out).isInstanceOf(same ? SetOutcome.Unchanged.class : SetOutcome.Stored.class);
                        model.put(k, v);
                    }
                    case Op.Delete d -> {
                        String k = "key" + d.key();
                        DeleteOutcome out = ns.delete(k.getBytes(StandardCharsets.UTF_8), 2);
                        assertThat(out).isEqualTo(model.remove(k) != null ? DeleteOutcome.DELETED : DeleteOutcome.NOT_FOUND);
                    }
                    case Op.Jump j -> ns.jump();
                    case Op.Reopen r -> {
                        store.close();
                        store = open(dir, Mode.USER);
                    }
                    case Op.Crash c -> {
                        store.flush();
                        ((FileStore) store).abandon();
                        store = open(dir, Mode.USER);
                        assertThat(store.stats().recoveredBytesCut()).isZero();
                    }
                    case Op.Compact c -> ns.compact();
                }
                FileNamespace now = StoreFixture.ns(store, "default");
                for (int i = 0; i <= 24; i++) {
                    String k = "key" + i;
                    assertThat(now.get(k.getBytes(StandardCharsets.UTF_8))).isEqualTo(model.get(k));
                }
                assertThat(now.size()).isEqualTo(model.size());
                assertThat(now.dataSize()).isEqualTo(model.values().stream().mapToLong(v -> v.length).sum());
                now.checkInvariants();
            }
            FileNamespace ns = StoreFixture.ns(store, "default");
            assertThat(new TreeSet<>(StoreFixture.scanAll(ns, false))).isEqualTo(model.keySet());
            assertThat(StoreFixture.scanAll(ns, true)).hasSize(model.size());
        } finally {
            store.close();
            TempDirs.delete(dir);
        }
    }

    @Property(tries = 30)
    void seqModeMatchesTheModel(@ForAll @Size(max = 60) List<@net.jqwik.api.From("ops") Op> ops) throws Exception {
        Path dir = TempDirs.create("zdb-prop-seq");
        TreeMap<Long, byte[]> model = new TreeMap<>();
        long nextId = 0;
        Store store = open(dir, Mode.SEQ);
        try {
            for (Op op : ops) {
                FileNamespace ns = StoreFixture.ns(store, "default");
                switch (op) {
                    case Op.Set s -> {
                        byte[] v = value(s.length(), s.seed());
                        long id = s.key();
                        if (model.containsKey(id)) {
                            SetOutcome out = ns.set(Bytes.le64(id), v, 1);
                            boolean same = Arrays.equals(model.get(id), v);
                            assertThat(out).isInstanceOf(same ? SetOutcome.Unchanged.class : SetOutcome.Stored.class);
                            model.put(id, v);
                        } else if (id >= nextId) {
                            SetOutcome out = ns.set(new byte[0], v, 1);
                            assertThat(((SetOutcome.Stored) out).key()).isEqualTo(Bytes.le64(nextId));
                            model.put(nextId++, v);
                        } else {
                            assertThat(ns.set(Bytes.le64(id), v, 1)).isInstanceOf(SetOutcome.Refused.class);
                        }
                    }
                    case Op.Delete d -> {
                        DeleteOutcome out = ns.delete(Bytes.le64(d.key()), 2);
                        assertThat(out).isEqualTo(model.remove((long) d.key()) != null
                                ? DeleteOutcome.DELETED : DeleteOutcome.NOT_FOUND);
                    }
                    case Op.Jump j -> ns.jump();
                    case Op.Reopen r -> {
                        store.close();
                        store = open(dir, Mode.SEQ);
                    }
                    case Op.Crash c -> {
                        store.flush();
                        ((FileStore) store).abandon();
                        store = open(dir, Mode.SEQ);
                        assertThat(store.stats().recoveredBytesCut()).isZero();
                    }
                    case Op.Compact c -> ns.compact();
                }
                FileNamespace now = StoreFixture.ns(store, "default");
                for (long i = 0; i < nextId + 2; i++) {
                    assertThat(now.get(Bytes.le64(i))).isEqualTo(model.get(i));
                }
                assertThat(now.stats().nextSeqId()).isEqualTo(nextId);
                assertThat(now.size()).isEqualTo(model.size());
                assertThat(now.dataSize()).isEqualTo(model.values().stream().mapToLong(v -> v.length).sum());
                now.checkInvariants();
            }
            FileNamespace ns = StoreFixture.ns(store, "default");
            TreeSet<Long> scanned = new TreeSet<>();
            byte[] cursor = null;
            while (true) {
                ScanBatch batch = ns.scan(cursor, 5, Long.MAX_VALUE);
                if (batch.isEmpty()) {
                    break;
                }
                batch.entries().forEach(e -> scanned.add(Bytes.i64(e.key(), 0)));
                cursor = batch.nextCursor();
            }
            assertThat(scanned).isEqualTo(model.keySet());
            for (Map.Entry<Long, byte[]> e : model.entrySet()) {
                assertThat(ns.info(Bytes.le64(e.getKey())).length()).isEqualTo(e.getValue().length);
            }
        } finally {
            store.close();
            TempDirs.delete(dir);
        }
    }
}
