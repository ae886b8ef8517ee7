package dev.quilt.chain;

import dev.quilt.common.codec.CanonicalReader;
import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.crypto.Ed25519PublicKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One kind of state entry (accounts, twins, nodes, ...) seen as a typed, sorted map over a
 * {@link StateView}: keys are built by {@link StateKeys}, values are encoded with the same field
 * layout as {@link StateCodec}. Reads decode on demand, so a lookup costs one store read, never a
 * copy of the table. Writes go to the {@link EntryOverlay} the table was opened on.
 *
 * <p>Not thread-safe when writable: confined to the {@link WorkingState} that owns the overlay.
 */
final class Table<K extends Comparable<K>, V> {

    /** How one table's keys and values are encoded. */
    record Spec<K, V>(int tag, BiConsumer<CanonicalWriter, K> keyWriter, Function<CanonicalReader, K> keyReader,
                      BiConsumer<CanonicalWriter, V> valueWriter, Function<CanonicalReader, V> valueReader) {

        byte[] key(K k) {
            CanonicalWriter out = new CanonicalWriter().u8(tag);
            keyWriter.accept(out, k);
            return out.toByteArray();
        }

        byte[] value(V v) {
            CanonicalWriter out = new CanonicalWriter();
            valueWriter.accept(out, v);
            return out.toByteArray();
        }

        V decodeValue(byte[] bytes) {
            CanonicalReader in = new CanonicalReader(bytes);
            V v = valueReader.apply(in);
            in.end();
            return v;
        }

        K decodeKey(byte[] bytes) {
            CanonicalReader in = new CanonicalReader(Arrays.copyOfRange(bytes, 1, bytes.length));
            K k = keyReader.apply(in);
            in.end();
            return k;
        }
    }

    static <V> Spec<Long, V> byId(int tag, BiConsumer<CanonicalWriter, V> writer, Function<CanonicalReader, V> reader) {
        return new Spec<>(tag, CanonicalWriter::int64, r -> r.nonNegative("id"), writer, reader);
    }

    static <V> Spec<Ed25519PublicKey, V> byKey(int tag, BiConsumer<CanonicalWriter, V> writer,
                                               Function<CanonicalReader, V> reader) {
        return new Spec<>(tag, ValueCodecs::key, r -> ValueCodecs.key(r, "key"), writer, reader);
    }

    private final StateView view;
    private final Spec<K, V> spec;

    Table(StateView view, Spec<K, V> spec) {
        this.view = view;
        this.spec = spec;
    }

    V get(K key) {
        byte[] bytes = view.get(spec.key(key));
        return bytes == null ? null : spec.decodeValue(bytes);
    }

    V getOrDefault(K key, V otherwise) {
        V v = get(key);
        return v == null ? otherwise : v;
    }

    boolean containsKey(K key) {
        return view.get(spec.key(key)) != null;
    }

    void put(K key, V value) {
        if (!(view instanceof EntryOverlay journal)) {
            throw new IllegalStateException("table " + spec.tag() + " is read-only");
        }
        journal.put(spec.key(key), spec.value(value));
    }

    /** The values in key order, decoded once; a copy, so the caller may write while iterating. */
    List<V> values() {
        List<V> out = new ArrayList<>();
        view.scan(new byte[] {(byte) spec.tag()}, (k, v) -> out.add(spec.decodeValue(v)));
        return out;
    }

    void forEach(BiConsumer<K, V> action) {
        asMap().forEach(action);
    }

    /** The whole table, decoded: O(size), for encodings, queries and tests. */
    NavigableMap<K, V> asMap() {
        TreeMap<K, V> out = new TreeMap<>();
        view.scan(new byte[] {(byte) spec.tag()}, (k, v) -> out.put(spec.decodeKey(k), spec.decodeValue(v)));
        return Collections.unmodifiableNavigableMap(out);
    }

    /** The next id of a table keyed by sequential ids from 1 (entries are never removed). */
    long nextId() {
        byte[] last = view.lastKey(new byte[] {(byte) spec.tag()});
        return last == null ? 1 : ByteBuffer.wrap(last, 1, Long.BYTES).getLong() + 1;
    }
}
