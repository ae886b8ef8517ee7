package dev.quilt.fs;

import dev.quilt.common.codec.CanonicalReader;
import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.crypto.Hash256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The durable copy of a mounted tree's metadata, in RocksDB: inodes, directory entries and chunk slots, one
 * small record each, so a write touches a few bytes, not a file's whole chunk list.
 *
 * <p>Every change is written to RocksDB's log at once (without fsync): it is in the kernel before the FUSE
 * call returns, so a kill -9 of the filesystem process loses nothing. {@link #sync()} makes it survive a
 * power cut too; fsync calls it. Thread-safe (RocksDB is); callers hold the tree's lock for consistency.
 */
final class LocalState implements AutoCloseable {
    private static final byte META = 1;
    private static final byte NODE = 2;
    private static final byte CHILD = 3;
    private static final byte SLOT = 4;

    /** What a cache directory belongs to. */
    record Meta(Hash256 base, int chunkSize, long nextIno) {
    }

    private final RocksDB db;
    private final Options options;
    private final WriteOptions write = new WriteOptions();

    private LocalState(Options options, RocksDB db) {
        this.options = options;
        this.db = db;
    }

    static LocalState open(Path dir) throws IOException {
        RocksDB.loadLibrary();
        Files.createDirectories(dir);
        Options options = new Options().setCreateIfMissing(true);
        try {
            return new LocalState(options, RocksDB.open(options, dir.toString()));
        } catch (RocksDBException e) {
            options.close();
            String message = String.valueOf(e.getMessage());
            if (message.contains("lock")) {
                throw new IOException(dir.getParent() + " is in use by another mount or seal (" + message + ")");
            }
            throw new IOException("cannot open the metadata store in " + dir + ": " + message, e);
        }
    }

    Optional<Meta> meta() throws IOException {
        byte[] v = get(new byte[] {META});
        if (v == null) {
            return Optional.empty();
        }
        CanonicalReader in = new CanonicalReader(v);
        return Optional.of(new Meta(Hash256.of(in.fixed("base", Hash256.LENGTH)), in.int32("chunkSize"), in.int64("nextIno")));
    }

    void putMeta(Meta meta) throws IOException {
        put(new byte[] {META}, metaValue(meta));
    }

    private static byte[] metaValue(Meta meta) {
        return new CanonicalWriter().fixed(meta.base().bytes(), Hash256.LENGTH).int32(meta.chunkSize())
                .int64(meta.nextIno()).toByteArray();
    }

    private static byte[] nodeValue(Node n) {
        return new CanonicalWriter().u8(n.kind.ordinal()).int32(n.mode).int32(n.uid).int32(n.gid)
                .int64(n.mtimeMillis).int64(n.size).string(n.linkTarget, 1 << 16).toByteArray();
    }

    private static byte[] slotValue(Node.Slot slot) {
        return switch (slot) {
            case Node.Clean c -> new CanonicalWriter().u8(1).fixed(c.hash().bytes(), Hash256.LENGTH).toByteArray();
            case Node.Dirty d -> new byte[] {2};
        };
    }

    void putNode(Node n) throws IOException {
        put(nodeKey(n.ino), nodeValue(n));
    }

    void putChild(long parent, String name, long child) throws IOException {
        put(childKey(parent, name), ByteBuffer.allocate(8).putLong(child).array());
    }

    void deleteChild(long parent, String name) throws IOException {
        delete(childKey(parent, name));
    }

    void putSlot(long ino, long index, Node.Slot slot) throws IOException {
        put(slotKey(ino, index), slotValue(slot));
    }

    void deleteSlot(long ino, long index) throws IOException {
        delete(slotKey(ino, index));
    }

    /** Removes an inode and all its chunk slots. */
    void deleteNode(long ino) throws IOException {
        try {
            db.delete(write, nodeKey(ino));
            db.deleteRange(write, slotKey(ino, 0), slotKey(ino + 1, 0));
        } catch (RocksDBException e) {
            throw new IOException("metadata store: " + e.getMessage(), e);
        }
    }

    /** Writes a whole tree at once (the first mount of a snapshot). */
    void putAll(Meta meta, Iterable<Node> nodes) throws IOException {
        try (WriteBatch batch = new WriteBatch(); WriteOptions sync = new WriteOptions().setSync(true)) {
            for (Node n : nodes) {
                batch.put(nodeKey(n.ino), nodeValue(n));
                for (Map.Entry<String, Long> c : n.children.entrySet()) {
                    batch.put(childKey(n.ino, c.getKey()), ByteBuffer.allocate(8).putLong(c.getValue()).array());
                }
                for (Map.Entry<Long, Node.Slot> s : n.slots.entrySet()) {
                    batch.put(slotKey(n.ino, s.getKey()), slotValue(s.getValue()));
                }
            }
            // the meta record last: a cache without it is empty and is filled again
            batch.put(new byte[] {META}, metaValue(meta));
            db.write(sync, batch);
        } catch (RocksDBException e) {
            throw new IOException("metadata store: " + e.getMessage(), e);
        }
    }

    /** Every inode with its children and slots. Dirty slots come back with the lengths {@code dirtyLength} gives. */
    Map<Long, Node> loadNodes(java.util.function.ToLongBiFunction<Long, Long> dirtyLength) throws IOException {
        Map<Long, Node> nodes = new HashMap<>();
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(new byte[] {NODE}); it.isValid() && it.key()[0] == NODE; it.next()) {
                long ino = ByteBuffer.wrap(it.key(), 1, 8).getLong();
                CanonicalReader in = new CanonicalReader(it.value());
                Node n = new Node(ino, Entry.Kind.values()[in.u8("kind")], in.int32("mode"), in.int32("uid"),
                        in.int32("gid"), in.int64("mtime"));
                n.size = in.int64("size");
                n.linkTarget = in.string("linkTarget", 1 << 16);
                nodes.put(ino, n);
            }
            for (it.seek(new byte[] {CHILD}); it.isValid() && it.key()[0] == CHILD; it.next()) {
                byte[] k = it.key();
                long parent = ByteBuffer.wrap(k, 1, 8).getLong();
                String name = new String(k, 9, k.length - 9, StandardCharsets.UTF_8);
                Node p = nodes.get(parent);
                if (p != null) {
                    p.children.put(name, ByteBuffer.wrap(it.value()).getLong());
                }
            }
            long version = 1;
            for (it.seek(new byte[] {SLOT}); it.isValid() && it.key()[0] == SLOT; it.next()) {
                ByteBuffer k = ByteBuffer.wrap(it.key(), 1, 16);
                long ino = k.getLong();
                long index = k.getLong();
                Node n = nodes.get(ino);
                if (n == null) {
                    continue;
                }
                byte[] v = it.value();
                if (v[0] == 1) {
                    n.slots.put(index, new Node.Clean(Hash256.of(java.util.Arrays.copyOfRange(v, 1, 1 + Hash256.LENGTH))));
                } else {
                    n.slots.put(index, new Node.Dirty(version++, dirtyLength.applyAsLong(ino, index)));
                }
            }
        }
        return nodes;
    }

    /** Makes every change so far durable on disk. */
    void sync() throws IOException {
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            throw new IOException("metadata store: " + e.getMessage(), e);
        }
    }

    private byte[] get(byte[] key) throws IOException {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw new IOException("metadata store: " + e.getMessage(), e);
        }
    }

    private void put(byte[] key, byte[] value) throws IOException {
        try {
            db.put(write, key, value);
        } catch (RocksDBException e) {
            throw new IOException("metadata store: " + e.getMessage(), e);
        }
    }

    private void delete(byte[] key) throws IOException {
        try {
            db.delete(write, key);
        } catch (RocksDBException e) {
            throw new IOException("metadata store: " + e.getMessage(), e);
        }
    }

    private static byte[] nodeKey(long ino) {
        return ByteBuffer.allocate(9).put(NODE).putLong(ino).array();
    }

    private static byte[] childKey(long parent, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(9 + n.length).put(CHILD).putLong(parent).put(n).array();
    }

    private static byte[] slotKey(long ino, long index) {
        return ByteBuffer.allocate(17).put(SLOT).putLong(ino).putLong(index).array();
    }

    @Override
    public void close() {
        write.close();
        db.close();
        options.close();
    }
}
