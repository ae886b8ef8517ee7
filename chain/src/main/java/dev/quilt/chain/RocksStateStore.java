package dev.quilt.chain;

import dev.quilt.common.codec.CanonicalReader;
import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.common.crypto.Hash256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import org.rocksdb.Checkpoint;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The chain's persistent state in one RocksDB database: state entries, Merkle nodes, blocks,
 * header signatures, and the head (last block and the log position it was cut at).
 *
 * <h2>Layout</h2>
 * One key space, split by a one-byte prefix:
 * <pre>
 * 'e' | state key          → canonical entry        ({@link StateKeys}, {@link StateTables})
 * 'm' | node hash 32       → Merkle node, 65 bytes  ({@link IncrementalMerkleTree})
 * 'b' | height int64       → block                  ({@link BlockCodec})
 * 's' | height int64 | validator 32 → log index int64 | signature 64
 * 't' | transaction hash 32 → height int64 | position int32 (receipts)
 * 'c' | height int64       → the block's challenges: [height int64 | header hash 32], the recent
 *                            blocks certified when it was cut ({@link BlockContext}); lets a
 *                            follower that never saw the log rebuild the block exactly
 * 'h'                      → head: version u8 (01) | term int64 | index int64 | header bytes
 * </pre>
 * A block is committed in one {@link WriteBatch} with the entries it wrote, the Merkle nodes it
 * added and the new head, written with fsync: after a crash the store holds a whole block or none
 * of it. Signatures are written on their own; writing one twice is harmless.
 *
 * <p>Thread-safe: RocksDB is; one writer (the state machine's apply thread) commits blocks, and
 * any thread reads. A read-write lock keeps every call off a closed database (a native crash,
 * not an exception): after {@link #close} reads fail with {@link IllegalStateException}.
 */
final class RocksStateStore implements AutoCloseable {
    private static final byte ENTRY = 'e';
    private static final byte NODE = 'm';
    private static final byte BLOCK = 'b';
    private static final byte SIGNATURE = 's';
    private static final byte RECEIPT = 't';
    private static final byte CHALLENGES = 'c';
    private static final byte[] HEAD = {'h'};

    static {
        RocksDB.loadLibrary();
    }

    /** The last committed block's header and the log position of the cut that ended it. */
    record Head(long term, long index, BlockHeader header) {}

    private final Path dir;
    private final Options options;
    private final RocksDB db;
    private final WriteOptions durable = new WriteOptions().setSync(true);
    private final Map<Hash256, byte[]> pendingNodes = new ConcurrentHashMap<>();

    /** Held shared by every use of {@link #db}, exclusively by {@link #close}: no native call on a closed database. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    // @GuardedBy("lifecycle")
    private boolean closed;

    private RocksStateStore(Path dir, Options options, RocksDB db) {
        this.dir = dir;
        this.options = options;
        this.db = db;
    }

    static RocksStateStore open(Path dir) throws IOException {
        Files.createDirectories(dir);
        Options options = new Options().setCreateIfMissing(true);
        try {
            return new RocksStateStore(dir, options, RocksDB.open(options, dir.toString()));
        } catch (RocksDBException e) {
            options.close();
            throw new IOException("cannot open state store " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The committed entries, read live from the database. */
    StateView entries() {
        return new StateView() {
            @Override
            public byte[] get(byte[] key) {
                return read(prefixed(ENTRY, key));
            }

            @Override
            public void scan(byte[] prefix, BiConsumer<byte[], byte[]> action) {
                byte[] from = prefixed(ENTRY, prefix);
                open(() -> {
                    try (RocksIterator it = db.newIterator()) {
                        for (it.seek(from); it.isValid() && EntryOverlay.startsWith(it.key(), from); it.next()) {
                            action.accept(Arrays.copyOfRange(it.key(), 1, it.key().length), it.value());
                        }
                    }
                    return null;
                });
            }

            @Override
            public byte[] lastKey(byte[] prefix) {
                byte[] from = prefixed(ENTRY, prefix);
                byte[] beyond = Arrays.copyOf(from, from.length + 64);
                Arrays.fill(beyond, from.length, beyond.length, (byte) 0xFF);
                return open(() -> {
                    try (RocksIterator it = db.newIterator()) {
                        it.seekForPrev(beyond);
                        return it.isValid() && EntryOverlay.startsWith(it.key(), from)
                                ? Arrays.copyOfRange(it.key(), 1, it.key().length) : null;
                    }
                });
            }
        };
    }

    /**
     * Merkle nodes: those of committed blocks from the database, newer ones from memory until the
     * block that made them is committed.
     */
    MerkleNodeStore merkleNodes() {
        return new MerkleNodeStore() {
            @Override
            public byte[] get(Hash256 hash) {
                byte[] pending = pendingNodes.get(hash);
                return pending != null ? pending : read(prefixed(NODE, hash.bytes()));
            }

            @Override
            public void put(Hash256 hash, byte[] node) {
                pendingNodes.putIfAbsent(hash, node);
            }
        };
    }

    Optional<Head> head() {
        byte[] bytes = read(HEAD);
        if (bytes == null) {
            return Optional.empty();
        }
        CanonicalReader in = new CanonicalReader(bytes);
        in.u8("head.version");
        Head head = new Head(in.int64("head.term"), in.int64("head.index"), BlockHeader.decode(in.bytes("head.header", 1024)));
        in.end();
        return Optional.of(head);
    }

    /** The state of the head, served from this store. */
    LedgerState state() {
        Head head = head().orElseThrow(() -> new IllegalStateException("store " + dir + " has no genesis"));
        return LedgerState.open(entries(), merkleNodes(), head.header().stateRoot());
    }

    /** Writes the genesis state and header; the store must be empty. */
    void commitGenesis(LedgerState genesis, BlockHeader header) throws IOException {
        if (head().isPresent()) {
            throw new IllegalStateException("store " + dir + " already holds a chain");
        }
        EntryOverlay all = new EntryOverlay(StateView.empty());
        genesis.entries().scan(new byte[0], all::put);
        IncrementalMerkleTree tree = new IncrementalMerkleTree(merkleNodes());
        Hash256 root = SparseMerkleTree.EMPTY;
        for (Map.Entry<byte[], byte[]> e : all.writes().entrySet()) {
            root = tree.put(root, e.getKey(), e.getValue());
        }
        if (!root.equals(header.stateRoot())) {
            throw new IllegalArgumentException("genesis root " + root + " differs from header " + header.stateRoot());
        }
        commit(all.writes(), new Block(header, List.of(), List.of(), List.of()), 0, -1, new TreeMap<>(), List.of());
    }

    /**
     * Commits a block, the writes of its state since the head, the block's challenges, the
     * signatures known for it, and the new head, atomically.
     */
    void commitBlock(Block block, LedgerState after, long term, long index, NavigableMap<Long, Hash256> challenges,
                     List<HeaderSignature> signatures) throws IOException {
        Map<byte[], byte[]> writes = after.entries() instanceof EntryOverlay overlay ? overlay.writesSinceBase() : Map.of();
        commit(writes, block, term, index, challenges, signatures);
    }

    private void commit(Map<byte[], byte[]> writes, Block block, long term, long index,
                        NavigableMap<Long, Hash256> challenges, List<HeaderSignature> signatures) throws IOException {
        Map<Hash256, byte[]> nodes = Map.copyOf(pendingNodes);
        try (WriteBatch batch = new WriteBatch()) {
            for (Map.Entry<byte[], byte[]> e : writes.entrySet()) {
                batch.put(prefixed(ENTRY, e.getKey()), e.getValue());
            }
            for (Map.Entry<Hash256, byte[]> e : nodes.entrySet()) {
                batch.put(prefixed(NODE, e.getKey().bytes()), e.getValue());
            }
            long height = block.header().height();
            for (int i = 0; i < block.transactions().size(); i++) {
                batch.put(prefixed(RECEIPT, BlockProducer.hashOf(block.transactions().get(i)).bytes()),
                        ByteBuffer.allocate(12).putLong(height).putInt(i).array());
            }
            batch.put(prefixed(BLOCK, ByteBuffer.allocate(8).putLong(height).array()), BlockCodec.BLOCK.encode(block));
            CanonicalWriter c = new CanonicalWriter();
            c.list(List.copyOf(challenges.entrySet()), Integer.MAX_VALUE, (w, e) -> w.int64(e.getKey()).fixed(e.getValue().bytes(), Hash256.LENGTH));
            batch.put(prefixed(CHALLENGES, ByteBuffer.allocate(8).putLong(height).array()), c.toByteArray());
            for (HeaderSignature s : signatures) {
                batch.put(signatureKey(height, s), signatureValue(s, index));
            }
            batch.put(HEAD, new CanonicalWriter().u8(1).int64(term).int64(index).bytes(block.header().encode(), 1024).toByteArray());
            openForWrite(() -> {
                try {
                    db.write(durable, batch);
                } catch (RocksDBException e) {
                    throw new IOException("cannot commit block " + height + " to " + dir + ": " + e.getMessage(), e);
                }
            });
        } catch (RocksDBException e) {
            throw new IOException("cannot build the batch of block " + block.header().height() + ": " + e.getMessage(), e);
        }
        nodes.keySet().forEach(pendingNodes::remove);
    }

    /** Where a transaction was included: its block height and position, if it is in a committed block. */
    record Inclusion(long height, int position) {}

    Optional<Inclusion> inclusion(Hash256 transactionHash) {
        byte[] bytes = read(prefixed(RECEIPT, transactionHash.bytes()));
        return Optional.ofNullable(bytes).map(b -> ByteBuffer.wrap(b)).map(b -> new Inclusion(b.getLong(), b.getInt()));
    }

    Optional<Block> block(long height) {
        byte[] bytes = read(prefixed(BLOCK, ByteBuffer.allocate(8).putLong(height).array()));
        return Optional.ofNullable(bytes).map(BlockCodec.BLOCK::decode);
    }

    /**
     * The recent certified blocks block {@code height} was built with; empty for the genesis block
     * and for blocks a store committed before it kept them.
     */
    NavigableMap<Long, Hash256> challenges(long height) {
        byte[] bytes = read(prefixed(CHALLENGES, ByteBuffer.allocate(8).putLong(height).array()));
        TreeMap<Long, Hash256> out = new TreeMap<>();
        if (bytes != null) {
            CanonicalReader in = new CanonicalReader(bytes);
            in.list("challenges", Integer.MAX_VALUE, r -> Map.entry(r.int64("height"), Hash256.of(r.fixed("hash", Hash256.LENGTH))))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            in.end();
        }
        return out;
    }

    private static byte[] signatureKey(long height, HeaderSignature signature) {
        return ByteBuffer.allocate(1 + 8 + Ed25519PublicKey.LENGTH).put(SIGNATURE).putLong(height)
                .put(signature.validator().bytes()).array();
    }

    private static byte[] signatureValue(HeaderSignature signature, long index) {
        return ByteBuffer.allocate(8 + 64).putLong(index).put(signature.signature()).array();
    }

    /** Stores a validator's signature of the header at {@code height}, applied at log {@code index}. */
    void putSignature(long height, HeaderSignature signature, long index) throws IOException {
        byte[] key = signatureKey(height, signature);
        openForWrite(() -> {
            try {
                db.put(durable, key, signatureValue(signature, index));
            } catch (RocksDBException e) {
                throw new IOException("cannot store a signature for height " + height + " in " + dir + ": " + e.getMessage(), e);
            }
        });
    }

    List<HeaderSignature> signatures(long height) {
        return signaturesAppliedBefore(height, Long.MAX_VALUE);
    }

    /** The signatures of the header at {@code height} that were applied at a log index below {@code index}. */
    List<HeaderSignature> signaturesAppliedBefore(long height, long index) {
        byte[] from = ByteBuffer.allocate(9).put(SIGNATURE).putLong(height).array();
        return open(() -> {
            List<HeaderSignature> out = new ArrayList<>();
            try (RocksIterator it = db.newIterator()) {
                for (it.seek(from); it.isValid() && EntryOverlay.startsWith(it.key(), from); it.next()) {
                    ByteBuffer value = ByteBuffer.wrap(it.value());
                    if (value.getLong() < index) {
                        out.add(new HeaderSignature(Ed25519PublicKey.of(Arrays.copyOfRange(it.key(), 9, it.key().length)),
                                Arrays.copyOfRange(it.value(), 8, it.value().length)));
                    }
                }
            }
            return out;
        });
    }

    /** A consistent copy of the whole store in {@code target} (hard links where possible): a snapshot. */
    void checkpoint(Path target) throws IOException {
        openForWrite(() -> {
            try (Checkpoint checkpoint = Checkpoint.create(db)) {
                checkpoint.createCheckpoint(target.toString());
            } catch (RocksDBException e) {
                throw new IOException("cannot checkpoint " + dir + " into " + target + ": " + e.getMessage(), e);
            }
        });
    }

    private byte[] read(byte[] key) {
        return open(() -> {
            try {
                return db.get(key);
            } catch (RocksDBException e) {
                throw new IllegalStateException("cannot read the state store " + dir + ": " + e.getMessage(), e);
            }
        });
    }

    /** Runs {@code action} on the open database; fails with {@link IllegalStateException} once it is closed. */
    private <T> T open(java.util.function.Supplier<T> action) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("state store " + dir + " is closed (reopening from a snapshot, or shutting down)");
            }
            return action.get();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private void openForWrite(IoAction action) throws IOException {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IOException("state store " + dir + " is closed");
            }
            action.run();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private static byte[] prefixed(byte prefix, byte[] key) {
        byte[] out = new byte[key.length + 1];
        out[0] = prefix;
        System.arraycopy(key, 0, out, 1, key.length);
        return out;
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lifecycle.writeLock().unlock();
        }
        db.close();
        durable.close();
        options.close();
    }
}
