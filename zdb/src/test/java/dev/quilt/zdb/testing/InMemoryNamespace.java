package dev.quilt.zdb.testing;

import dev.quilt.zdb.store.CompactionReport;
import dev.quilt.zdb.store.DeleteOutcome;
import dev.quilt.zdb.store.EntryInfo;
import dev.quilt.zdb.store.HistoryOutcome;
import dev.quilt.zdb.store.InvalidCursorException;
import dev.quilt.zdb.store.Mode;
import dev.quilt.zdb.store.Namespace;
import dev.quilt.zdb.store.NamespaceSettings;
import dev.quilt.zdb.store.RawRecordOutcome;
import dev.quilt.zdb.store.ScanBatch;
import dev.quilt.zdb.store.SetOutcome;
import dev.quilt.zdb.store.StoreConfig;
import dev.quilt.zdb.store.StoreListener;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/** The in-memory namespace of {@link InMemoryStore}; a test double only. */
final class InMemoryNamespace implements Namespace {

    /** One written version; its position in {@link #log} is its "offset". */
    private record Version(byte[] key, byte[] value, long timestamp, int crc, int parent) { }

    private final String name;
    private final StoreConfig config;
    private final StoreListener listener;
    private NamespaceSettings settings;
    private AccessState access = AccessState.OPEN;
    private boolean deleted;
    private final List<Version> log = new ArrayList<>();
    private final Map<String, Integer> live = new HashMap<>();
    private final NavigableMap<Integer, String> order = new TreeMap<>();
    private long fileId;
    private long nextSeq;

    InMemoryNamespace(String name, NamespaceSettings settings, StoreConfig config, StoreListener listener) {
        this.name = name;
        this.settings = settings;
        this.config = config;
        this.listener = listener;
    }

    void markDeleted() {
        deleted = true;
    }

    private static String id(byte[] key) {
        return new String(key, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static int crc(byte[] value) {
        CRC32C c = new CRC32C();
        c.update(value);
        return (int) c.getValue();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Mode mode() {
        return settings.mode();
    }

    @Override
    public NamespaceSettings settings() {
        return settings;
    }

    @Override
    public void updateSettings(NamespaceSettings updated) {
        if (updated.mode() != settings.mode() && !isFresh()) {
            throw new IllegalStateException("used");
        }
        settings = updated;
        listener.namespaceUpdated(name);
    }

    @Override
    public boolean isFresh() {
        return log.isEmpty();
    }

    @Override
    public AccessState accessState() {
        return access;
    }

    @Override
    public void accessState(AccessState state) {
        access = state;
    }

    @Override
    public boolean isDeleted() {
        return deleted;
    }

    @Override
    public SetOutcome set(byte[] key, byte[] value, long timestamp) {
        if (mode() == Mode.SEQ) {
            if (key.length == 0) {
                key = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(nextSeq++).array();
            } else if (key.length != 8 || !live.containsKey(id(key))) {
                return new SetOutcome.Refused("Invalid key, only update authorized");
            }
        } else if (key.length == 0) {
            return new SetOutcome.Refused("Invalid argument, key needed");
        }
        Integer current = live.get(id(key));
        byte[] old = current == null ? null : log.get(current).value();
        if (old != null && Arrays.equals(old, value)) {
            return new SetOutcome.Unchanged();
        }
        if (old != null && settings.worm()) {
            return new SetOutcome.Refused("Namespace is protected by worm mode");
        }
        long max = settings.maxSize();
        if (max > 0 && dataSize() + value.length > max + (old == null ? 0 : old.length)) {
            return new SetOutcome.Refused("No space left on this namespace");
        }
        log.add(new Version(key.clone(), value.clone(), timestamp, crc(value), current == null ? -1 : current));
        int pos = log.size() - 1;
        if (current != null) {
            order.remove(current);
        }
        live.put(id(key), pos);
        order.put(pos, id(key));
        return new SetOutcome.Stored(key.clone());
    }

    @Override
    public byte[] get(byte[] key) {
        Integer pos = live.get(id(key));
        return pos == null ? null : log.get(pos).value().clone();
    }

    @Override
    public boolean exists(byte[] key) {
        return live.containsKey(id(key));
    }

    @Override
    public EntryInfo info(byte[] key) {
        Integer pos = live.get(id(key));
        if (pos == null) {
            return null;
        }
        Version v = log.get(pos);
        return new EntryInfo(v.value().length, v.timestamp(), v.crc(), fileId, pos);
    }

    @Override
    public Integer check(byte[] key) {
        return live.containsKey(id(key)) ? 1 : null;
    }

    @Override
    public DeleteOutcome delete(byte[] key, long timestamp) {
        Integer pos = live.get(id(key));
        if (pos == null) {
            return DeleteOutcome.NOT_FOUND;
        }
        if (settings.worm()) {
            return DeleteOutcome.WORM_PROTECTED;
        }
        live.remove(id(key));
        order.remove(pos);
        return DeleteOutcome.DELETED;
    }

    @Override
    public long size() {
        return live.size();
    }

    @Override
    public long dataSize() {
        long sum = 0;
        for (int pos : live.values()) {
            sum += log.get(pos).value().length;
        }
        return sum;
    }

    private byte[] cursor(int pos) {
        Version v = log.get(pos);
        return ByteBuffer.allocate(17).order(ByteOrder.LITTLE_ENDIAN).put((byte) v.key().length).putInt(0)
                .putInt(v.value().length).putInt(pos).putInt(v.crc()).array();
    }

    private int position(byte[] cursor) throws InvalidCursorException {
        if (cursor.length != 17) {
            throw new InvalidCursorException("length");
        }
        ByteBuffer b = ByteBuffer.wrap(cursor).order(ByteOrder.LITTLE_ENDIAN);
        b.get();
        b.getInt();
        int length = b.getInt();
        int pos = b.getInt();
        int crc = b.getInt();
        if (pos < 0 || pos >= log.size() || log.get(pos).value().length != length || log.get(pos).crc() != crc) {
            throw new InvalidCursorException("no entry");
        }
        return pos;
    }

    @Override
    public ScanBatch scan(byte[] cursor, int maxEntries, long deadlineNanos) throws InvalidCursorException {
        NavigableMap<Integer, String> rest = cursor == null ? order : order.tailMap(position(cursor), false);
        return batch(rest, maxEntries);
    }

    @Override
    public ScanBatch rscan(byte[] cursor, int maxEntries, long deadlineNanos) throws InvalidCursorException {
        NavigableMap<Integer, String> rest = cursor == null ? order.descendingMap()
                : order.headMap(position(cursor), false).descendingMap();
        return batch(rest, maxEntries);
    }

    private ScanBatch batch(NavigableMap<Integer, String> rest, int maxEntries) {
        List<ScanBatch.Entry> entries = new ArrayList<>();
        int last = -1;
        for (int pos : rest.keySet()) {
            if (entries.size() == maxEntries) {
                break;
            }
            Version v = log.get(pos);
            entries.add(new ScanBatch.Entry(v.key(), v.value().length, v.timestamp()));
            last = pos;
        }
        return new ScanBatch(last < 0 ? null : cursor(last), entries);
    }

    @Override
    public byte[] cursorOf(byte[] key) {
        Integer pos = live.get(id(key));
        return pos == null ? null : cursor(pos);
    }

    private static byte[] ekey(int pos) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(pos + 1).array();
    }

    @Override
    public HistoryOutcome history(byte[] key, byte[] ekey) {
        Integer current = live.get(id(key));
        if (current == null) {
            return new HistoryOutcome.Refused("Key not found");
        }
        int pos = current;
        if (ekey != null) {
            pos = ByteBuffer.wrap(ekey).order(ByteOrder.LITTLE_ENDIAN).getInt(4) - 1;
            if (pos < 0 || pos >= log.size()) {
                return new HistoryOutcome.Refused("Invalid arguments (index query)");
            }
            if (!Arrays.equals(log.get(pos).key(), key)) {
                return new HistoryOutcome.Refused("Invalid arguments (invalid key)");
            }
        }
        Version v = log.get(pos);
        return new HistoryOutcome.Version(v.parent() < 0 ? null : ekey(v.parent()), v.timestamp(), v.value().clone());
    }

    @Override
    public void jump() {
        NamespaceStats before = stats();
        fileId++;
        NamespaceStats after = stats();
        listener.jumped(name, before.activeIndexFile(), after.activeIndexFile(), before.activeDataFile(), after.activeDataFile());
    }

    @Override
    public void flushAll() {
        log.clear();
        live.clear();
        order.clear();
        nextSeq = 0;
    }

    @Override
    public void reload() {
        listener.namespaceReloaded(name);
    }

    @Override
    public RawRecordOutcome rawRecord(long fileId, long offset) {
        return new RawRecordOutcome.Invalid();
    }

    @Override
    public CompactionReport compact() {
        return new CompactionReport(0, 0, 0, 0);
    }

    @Override
    public NamespaceStats stats() {
        Path index = config.indexRoot().resolve(name);
        Path data = config.dataRoot().resolve(name);
        return new NamespaceStats(index, data, index.resolve("i" + fileId), data.resolve("d" + fileId), fileId,
                dataSize(), live.size() * 64L, nextSeq);
    }
}
