package dev.quilt.fs;

import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The mounted tree and its operations, by path, independent of FUSE: what {@link QuiltFs} calls.
 *
 * <p>One lock guards the metadata and the local chunk files. Nothing waits on the network under it: a read
 * collects the clean chunks it needs under the lock and reads them after releasing it, and a write whose
 * chunk must first be copied from a clean one fetches that chunk without the lock, then retries.
 */
final class FsTree {
    static final long ROOT = 1;
    private static final int MAX_NAME = 255;

    private final ReentrantLock lock = new ReentrantLock();
    private final LocalState state;
    private final DirtyChunks dirty;
    private final ChunkCache cache;
    private final int chunkSize;
    private final Hash256 base;
    private final Map<Long, Node> nodes;
    private long nextIno;
    private long versions;
    /** Written under the lock; read without it by the cache's eviction, which must not take the lock. */
    private volatile long dirtyBytes;
    /** Dirty chunks, (ino, index), oldest first: what the flusher works through. */
    private final LinkedHashSet<ChunkId> dirtySet = new LinkedHashSet<>();
    /** Per inode, where the last read ended: a read starting there is sequential and prefetches ahead. */
    private final Map<Long, Long> readEnds = new HashMap<>();
    private final int prefetchChunks;
    /** Called before a write while dirty bytes exceed the cache: waits for the flusher to catch up. */
    private volatile Runnable backpressure = () -> { };

    record ChunkId(long ino, long index) {
    }

    /** A read's piece that must come from a clean chunk, read outside the lock. */
    private record CleanPiece(Hash256 hash, long offsetInChunk, int position, int length) {
    }

    FsTree(LocalState state, DirtyChunks dirty, ChunkCache.Factory cacheFactory, LocalState.Meta meta,
            Map<Long, Node> nodes, int prefetchChunks) throws IOException {
        this.state = state;
        this.dirty = dirty;
        this.chunkSize = meta.chunkSize();
        this.base = meta.base();
        this.nodes = nodes;
        this.nextIno = meta.nextIno();
        this.prefetchChunks = prefetchChunks;
        for (Node n : nodes.values()) {
            for (Map.Entry<Long, Node.Slot> s : n.slots.entrySet()) {
                if (s.getValue() instanceof Node.Dirty d) {
                    dirtySet.add(new ChunkId(n.ino, s.getKey()));
                    dirtyBytes += d.length;
                    versions = Math.max(versions, d.version);
                }
            }
        }
        this.cache = cacheFactory.create(this::dirtyBytes);
    }

    /** Builds the inodes of a snapshot's tree, numbered from the root in manifest order. */
    static Map<Long, Node> fromManifest(Manifest manifest) {
        Map<Long, Node> nodes = new HashMap<>();
        Map<String, Long> byPath = new HashMap<>();
        long ino = ROOT;
        for (Entry e : manifest.entries()) {
            Node n = new Node(ino, e.kind(), e.mode(), e.uid(), e.gid(), e.mtimeMillis());
            n.size = e.size();
            n.linkTarget = e.linkTarget();
            for (int i = 0; i < e.chunks().size(); i++) {
                ChunkRef c = e.chunks().get(i);
                if (!c.isHole()) {
                    n.slots.put((long) i, new Node.Clean(c.hash()));
                }
            }
            nodes.put(ino, n);
            byPath.put(e.path(), ino);
            if (!e.path().isEmpty()) {
                int slash = e.path().lastIndexOf('/');
                String parent = slash < 0 ? "" : e.path().substring(0, slash);
                nodes.get(byPath.get(parent)).children.put(e.path().substring(slash + 1), ino);
            }
            ino++;
        }
        return nodes;
    }

    long dirtyBytes() {
        return dirtyBytes;
    }

    void backpressure(Runnable wait) {
        this.backpressure = wait;
    }

    ChunkCache cache() {
        return cache;
    }

    int chunkSize() {
        return chunkSize;
    }

    Hash256 base() {
        return base;
    }

    /** A copy of an inode's attributes. */
    record Attr(long ino, Entry.Kind kind, int mode, int uid, int gid, long mtimeMillis, long size, int nlink) {
    }

    Attr getattr(String path) throws FsError {
        lock.lock();
        try {
            return attr(resolve(path));
        } finally {
            lock.unlock();
        }
    }

    private Attr attr(Node n) {
        int nlink = n.kind == Entry.Kind.DIRECTORY
                ? 2 + (int) n.children.values().stream().filter(c -> nodes.get(c).kind == Entry.Kind.DIRECTORY).count()
                : 1;
        return new Attr(n.ino, n.kind, n.mode, n.uid, n.gid, n.mtimeMillis, n.size, nlink);
    }

    List<String> list(String path) throws FsError {
        lock.lock();
        try {
            Node n = resolve(path);
            if (n.kind != Entry.Kind.DIRECTORY) {
                throw new FsError(FsError.ENOTDIR, path);
            }
            return new ArrayList<>(n.children.keySet());
        } finally {
            lock.unlock();
        }
    }

    String readlink(String path) throws FsError {
        lock.lock();
        try {
            Node n = resolve(path);
            if (n.kind != Entry.Kind.SYMLINK) {
                throw new FsError(FsError.EINVAL, path + " is not a symlink");
            }
            return n.linkTarget;
        } finally {
            lock.unlock();
        }
    }

    void mkdir(String path, int mode) throws IOException {
        createNode(path, Entry.Kind.DIRECTORY, mode, "");
    }

    void create(String path, int mode) throws IOException {
        createNode(path, Entry.Kind.FILE, mode, "");
    }

    void symlink(String target, String path) throws IOException {
        createNode(path, Entry.Kind.SYMLINK, 0777, target);
    }

    private void createNode(String path, Entry.Kind kind, int mode, String target) throws IOException {
        lock.lock();
        try {
            Node parent = resolveParent(path);
            String name = name(path);
            if (parent.children.containsKey(name)) {
                throw new FsError(FsError.EEXIST, path);
            }
            Node n = new Node(nextIno++, kind, mode & 07777, 0, 0, System.currentTimeMillis());
            n.linkTarget = target;
            n.size = kind == Entry.Kind.SYMLINK ? target.getBytes(StandardCharsets.UTF_8).length : 0;
            nodes.put(n.ino, n);
            parent.children.put(name, n.ino);
            parent.mtimeMillis = n.mtimeMillis;
            state.putNode(n);
            state.putChild(parent.ino, name, n.ino);
            state.putNode(parent);
            state.putMeta(new LocalState.Meta(base, chunkSize, nextIno));
        } finally {
            lock.unlock();
        }
    }

    void unlink(String path) throws IOException {
        remove(path, false);
    }

    void rmdir(String path) throws IOException {
        remove(path, true);
    }

    private void remove(String path, boolean directory) throws IOException {
        lock.lock();
        try {
            Node parent = resolveParent(path);
            String name = name(path);
            Long ino = parent.children.get(name);
            if (ino == null) {
                throw new FsError(FsError.ENOENT, path);
            }
            Node n = nodes.get(ino);
            if (directory && n.kind != Entry.Kind.DIRECTORY) {
                throw new FsError(FsError.ENOTDIR, path);
            }
            if (!directory && n.kind == Entry.Kind.DIRECTORY) {
                throw new FsError(FsError.EISDIR, path);
            }
            if (directory && !n.children.isEmpty()) {
                throw new FsError(FsError.ENOTEMPTY, path);
            }
            parent.children.remove(name);
            parent.mtimeMillis = System.currentTimeMillis();
            state.deleteChild(parent.ino, name);
            state.putNode(parent);
            destroy(n);
        } finally {
            lock.unlock();
        }
    }

    /** Forgets an inode that no name points to any more, with its local chunks. */
    private void destroy(Node n) throws IOException {
        for (Map.Entry<Long, Node.Slot> s : n.slots.entrySet()) {
            if (s.getValue() instanceof Node.Dirty d) {
                dirtyBytes -= d.length;
                dirtySet.remove(new ChunkId(n.ino, s.getKey()));
                dirty.delete(n.ino, s.getKey());
            }
        }
        nodes.remove(n.ino);
        readEnds.remove(n.ino);
        state.deleteNode(n.ino);
    }

    /** rename(2): replaces an existing target of the same kind (an empty directory only). */
    void rename(String from, String to, boolean noReplace) throws IOException {
        lock.lock();
        try {
            Node fromParent = resolveParent(from);
            String fromName = name(from);
            Long ino = fromParent.children.get(fromName);
            if (ino == null) {
                throw new FsError(FsError.ENOENT, from);
            }
            Node moving = nodes.get(ino);
            Node toParent = resolveParent(to);
            String toName = name(to);
            if (moving.kind == Entry.Kind.DIRECTORY && isAncestor(moving, toParent)) {
                throw new FsError(FsError.EINVAL, "cannot move " + from + " into itself");
            }
            Long existing = toParent.children.get(toName);
            if (existing != null && existing.equals(ino)) {
                return;
            }
            if (existing != null) {
                if (noReplace) {
                    throw new FsError(FsError.EEXIST, to);
                }
                Node target = nodes.get(existing);
                if (target.kind == Entry.Kind.DIRECTORY && moving.kind != Entry.Kind.DIRECTORY) {
                    throw new FsError(FsError.EISDIR, to);
                }
                if (target.kind != Entry.Kind.DIRECTORY && moving.kind == Entry.Kind.DIRECTORY) {
                    throw new FsError(FsError.ENOTDIR, to);
                }
                if (!target.children.isEmpty()) {
                    throw new FsError(FsError.ENOTEMPTY, to);
                }
                destroy(target);
            }
            long now = System.currentTimeMillis();
            fromParent.children.remove(fromName);
            toParent.children.put(toName, ino);
            fromParent.mtimeMillis = now;
            toParent.mtimeMillis = now;
            state.putChild(toParent.ino, toName, ino);
            state.deleteChild(fromParent.ino, fromName);
            state.putNode(fromParent);
            state.putNode(toParent);
        } finally {
            lock.unlock();
        }
    }

    private boolean isAncestor(Node dir, Node of) {
        // walk up from `of` by searching parents; trees are shallow and renames of directories rare
        Node current = of;
        while (current.ino != ROOT) {
            if (current.ino == dir.ino) {
                return true;
            }
            current = parentOf(current.ino);
        }
        return dir.ino == ROOT;
    }

    private Node parentOf(long ino) {
        for (Node n : nodes.values()) {
            if (n.children.containsValue(ino)) {
                return n;
            }
        }
        return nodes.get(ROOT);
    }

    void chmod(String path, int mode) throws IOException {
        update(path, n -> n.mode = mode & 07777);
    }

    void chown(String path, int uid, int gid) throws IOException {
        update(path, n -> {
            if (uid != -1) {
                n.uid = uid;
            }
            if (gid != -1) {
                n.gid = gid;
            }
        });
    }

    void setMtime(String path, long millis) throws IOException {
        update(path, n -> n.mtimeMillis = millis);
    }

    private void update(String path, java.util.function.Consumer<Node> change) throws IOException {
        lock.lock();
        try {
            Node n = resolve(path);
            change.accept(n);
            state.putNode(n);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads up to {@code dst.remaining()} bytes at {@code offset}; returns how many (0 at or past the end).
     * Holes read as zeros; clean chunks are fetched outside the lock.
     */
    int read(String path, long offset, ByteBuffer dst) throws IOException {
        List<CleanPiece> clean = new ArrayList<>();
        List<Hash256> ahead = new ArrayList<>();
        int length;
        int start = dst.position();
        lock.lock();
        try {
            Node n = resolve(path);
            if (n.kind == Entry.Kind.DIRECTORY) {
                throw new FsError(FsError.EISDIR, path);
            }
            if (offset >= n.size) {
                return 0;
            }
            length = (int) Math.min(dst.remaining(), n.size - offset);
            int done = 0;
            while (done < length) {
                long pos = offset + done;
                long index = pos / chunkSize;
                long inChunk = pos % chunkSize;
                int piece = (int) Math.min(length - done, chunkSize - inChunk);
                Node.Slot slot = n.slots.get(index);
                ByteBuffer window = dst.duplicate().position(start + done).limit(start + done + piece);
                switch (slot) {
                    case null -> ChunkCache.zeroFill(window);
                    case Node.Dirty d -> dirty.read(n.ino, index, inChunk, window);
                    case Node.Clean c -> clean.add(new CleanPiece(c.hash(), inChunk, start + done, piece));
                }
                done += piece;
            }
            Long lastEnd = readEnds.put(n.ino, offset + length);
            if (prefetchChunks > 0 && lastEnd != null && lastEnd == offset) {
                long next = (offset + length - 1) / chunkSize + 1;
                for (long i = next; i < next + prefetchChunks && i * chunkSize < n.size; i++) {
                    if (n.slots.get(i) instanceof Node.Clean c) {
                        ahead.add(c.hash());
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        ahead.forEach(cache::prefetch);
        for (CleanPiece p : clean) {
            cache.read(p.hash(), p.offsetInChunk(), dst.duplicate().position(p.position()).limit(p.position() + p.length()));
        }
        dst.position(start + length);
        return length;
    }

    /** Writes {@code src} at {@code offset}, copy-on-write per chunk. */
    int write(String path, long offset, ByteBuffer src) throws IOException {
        int length = src.remaining();
        long end = offset + length;
        if (end < 0) {
            throw new FsError(FsError.EFBIG, path);
        }
        backpressure.run();
        // the clean chunks this write copies first, read (or fetched) outside the lock
        Map<Hash256, byte[]> bases = new HashMap<>();
        while (true) {
            List<Hash256> needed = new ArrayList<>();
            lock.lock();
            try {
                Node n = resolve(path);
                if (n.kind != Entry.Kind.FILE) {
                    throw new FsError(FsError.EISDIR, path);
                }
                for (long index = offset / chunkSize; index * chunkSize < end && length > 0; index++) {
                    if (n.slots.get(index) instanceof Node.Clean c && !bases.containsKey(c.hash())) {
                        needed.add(c.hash());
                    }
                }
                if (needed.isEmpty()) {
                    long version = ++versions;
                    for (long index = offset / chunkSize; index * chunkSize < end && length > 0; index++) {
                        Node.Dirty d = makeDirty(n, index, bases);
                        long chunkStart = index * chunkSize;
                        long from = Math.max(offset, chunkStart);
                        long to = Math.min(end, chunkStart + chunkSize);
                        ByteBuffer piece = src.duplicate();
                        piece.position(src.position() + (int) (from - offset)).limit(src.position() + (int) (to - offset));
                        long newLength = dirty.write(n.ino, index, from - chunkStart, piece);
                        dirtyBytes += newLength - d.length;
                        d.length = newLength;
                        d.version = version;
                        d.lastWriteNanos = System.nanoTime();
                    }
                    if (end > n.size) {
                        n.size = end;
                    }
                    n.mtimeMillis = System.currentTimeMillis();
                    state.putNode(n);
                    src.position(src.position() + length);
                    return length;
                }
            } finally {
                lock.unlock();
            }
            for (Hash256 h : needed) {
                bases.put(h, cache.get(h));
            }
        }
    }

    /** The chunk's dirty slot: a copy of its clean chunk (whose bytes are in {@code bases}), or empty for a hole. */
    private Node.Dirty makeDirty(Node n, long index, Map<Hash256, byte[]> bases) throws IOException {
        Node.Slot slot = n.slots.get(index);
        if (slot instanceof Node.Dirty d) {
            return d;
        }
        if (slot instanceof Node.Clean c) {
            dirty.replace(n.ino, index, bases.get(c.hash()));
        } else {
            dirty.create(n.ino, index);
        }
        Node.Dirty d = new Node.Dirty(++versions, dirty.length(n.ino, index));
        dirtyBytes += d.length;
        n.slots.put(index, d);
        dirtySet.add(new ChunkId(n.ino, index));
        state.putSlot(n.ino, index, d);
        return d;
    }

    /** truncate(2): shrinking drops whole chunks and cuts the last one (copy-on-write); growing adds a hole. */
    void truncate(String path, long size) throws IOException {
        if (size < 0) {
            throw new FsError(FsError.EINVAL, "negative size");
        }
        Map<Hash256, byte[]> bases = new HashMap<>();
        while (true) {
            Hash256 needed = null;
            lock.lock();
            try {
                Node n = resolve(path);
                if (n.kind != Entry.Kind.FILE) {
                    throw new FsError(FsError.EISDIR, path);
                }
                if (size < n.size) {
                    long lastIndex = size / chunkSize;
                    long inChunk = size % chunkSize;
                    if (inChunk > 0 && n.slots.get(lastIndex) instanceof Node.Clean c && !bases.containsKey(c.hash())) {
                        needed = c.hash();
                    }
                    if (needed == null) {
                        for (Long index : new ArrayList<>(n.slots.keySet())) {
                            if (index > lastIndex || index == lastIndex && inChunk == 0) {
                                dropSlot(n, index);
                            }
                        }
                        if (inChunk > 0 && n.slots.containsKey(lastIndex)) {
                            Node.Dirty d = makeDirty(n, lastIndex, bases);
                            if (d.length > inChunk) {
                                dirty.truncate(n.ino, lastIndex, inChunk);
                                dirtyBytes -= d.length - inChunk;
                                d.length = inChunk;
                                d.version = ++versions;
                            }
                        }
                    }
                }
                if (needed == null) {
                    n.size = size;
                    n.mtimeMillis = System.currentTimeMillis();
                    state.putNode(n);
                    return;
                }
            } finally {
                lock.unlock();
            }
            bases.put(needed, cache.get(needed));
        }
    }

    private void dropSlot(Node n, long index) throws IOException {
        Node.Slot slot = n.slots.remove(index);
        if (slot instanceof Node.Dirty d) {
            dirtyBytes -= d.length;
            dirtySet.remove(new ChunkId(n.ino, index));
            dirty.delete(n.ino, index);
        }
        state.deleteSlot(n.ino, index);
    }

    /** fsync(2): the file's written chunks and all metadata are on disk when this returns. */
    void fsync(String path) throws IOException {
        lock.lock();
        try {
            Node n = resolve(path);
            dirty.sync(n.ino);
            state.sync();
        } finally {
            lock.unlock();
        }
    }

    /** Makes all metadata durable (fsyncdir, and before a snapshot is sealed). */
    void syncMetadata() throws IOException {
        lock.lock();
        try {
            state.sync();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of every regular file (statfs). */
    long usedBytes() {
        lock.lock();
        try {
            return nodes.values().stream().filter(n -> n.kind == Entry.Kind.FILE).mapToLong(n -> n.size).sum();
        } finally {
            lock.unlock();
        }
    }

    long fileCount() {
        lock.lock();
        try {
            return nodes.size();
        } finally {
            lock.unlock();
        }
    }

    // ---- flushing: what Flusher and seal use ----

    /** A dirty chunk's content, taken under the lock, to upload without it. */
    record Pending(ChunkId id, long version, byte[] data) {
    }

    /**
     * The dirty chunks to flush now, oldest first: those not written for {@code quietNanos}, or all when
     * {@code all}. At most {@code max}.
     */
    List<ChunkId> flushCandidates(long quietNanos, boolean all, int max) {
        lock.lock();
        try {
            List<ChunkId> out = new ArrayList<>();
            long now = System.nanoTime();
            for (ChunkId id : dirtySet) {
                if (out.size() >= max) {
                    break;
                }
                Node n = nodes.get(id.ino());
                if (n != null && n.slots.get(id.index()) instanceof Node.Dirty d
                        && (all || now - d.lastWriteNanos >= quietNanos)) {
                    out.add(id);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    Optional<Pending> take(ChunkId id) throws IOException {
        lock.lock();
        try {
            Node n = nodes.get(id.ino());
            if (n == null || !(n.slots.get(id.index()) instanceof Node.Dirty d)) {
                return Optional.empty();
            }
            return Optional.of(new Pending(id, d.version, dirty.readAll(id.ino(), id.index())));
        } finally {
            lock.unlock();
        }
    }

    /**
     * The chunk was stored as {@code hash} (or is all zeros when {@code hash} is empty): it becomes clean
     * unless it was written since it was taken.
     */
    boolean flushed(Pending p, Optional<Hash256> hash) throws IOException {
        lock.lock();
        try {
            Node n = nodes.get(p.id().ino());
            if (n == null || !(n.slots.get(p.id().index()) instanceof Node.Dirty d) || d.version != p.version()) {
                return false;
            }
            long ino = p.id().ino();
            long index = p.id().index();
            if (hash.isPresent()) {
                Node.Clean c = new Node.Clean(hash.get());
                n.slots.put(index, c);
                state.putSlot(ino, index, c);
            } else {
                n.slots.remove(index);
                state.deleteSlot(ino, index);
            }
            // the slot must say clean on disk before the file it points away from is moved
            state.sync();
            dirtyBytes -= d.length;
            dirtySet.remove(p.id());
            dirty.forget(ino, index);
            if (hash.isPresent()) {
                cache.adopt(hash.get(), dirty.path(ino, index));
            } else {
                dirty.delete(ino, index);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether any chunk is still dirty. */
    boolean hasDirty() {
        lock.lock();
        try {
            return !dirtySet.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The current tree as a manifest, when no chunk is dirty (flush first); empty when a write came in
     * between, so the caller flushes again.
     */
    Optional<Manifest> manifest(OptionalLong sourceHeight) {
        lock.lock();
        try {
            if (!dirtySet.isEmpty()) {
                return Optional.empty();
            }
            List<Entry> entries = new ArrayList<>();
            collect(nodes.get(ROOT), "", entries);
            entries.sort(java.util.Comparator.comparing(Entry::path));
            return Optional.of(new Manifest(chunkSize, sourceHeight, entries));
        } finally {
            lock.unlock();
        }
    }

    private void collect(Node n, String path, List<Entry> out) {
        List<ChunkRef> chunks = new ArrayList<>();
        if (n.kind == Entry.Kind.FILE) {
            for (long index = 0; index * chunkSize < n.size; index++) {
                int extent = (int) Math.min(chunkSize, n.size - index * chunkSize);
                chunks.add(n.slots.get(index) instanceof Node.Clean c ? new ChunkRef(c.hash(), extent) : ChunkRef.hole(extent));
            }
        }
        out.add(new Entry(path, n.kind, n.mode, n.uid, n.gid, n.mtimeMillis, n.size, n.linkTarget, chunks));
        for (Map.Entry<String, Long> c : n.children.entrySet()) {
            collect(nodes.get(c.getValue()), path.isEmpty() ? c.getKey() : path + "/" + c.getKey(), out);
        }
    }

    static Hash256 hashOf(byte[] data) {
        return Sha256.digest(data);
    }

    // ---- paths ----

    private Node resolve(String path) throws FsError {
        Node n = nodes.get(ROOT);
        if (path.equals("/") || path.isEmpty()) {
            return n;
        }
        for (String part : path.substring(1).split("/")) {
            if (n.kind != Entry.Kind.DIRECTORY) {
                throw new FsError(FsError.ENOTDIR, path);
            }
            Long child = n.children.get(part);
            if (child == null) {
                throw new FsError(FsError.ENOENT, path);
            }
            n = nodes.get(child);
        }
        return n;
    }

    private Node resolveParent(String path) throws FsError {
        int slash = path.lastIndexOf('/');
        if (slash < 0 || path.equals("/")) {
            throw new FsError(FsError.EINVAL, path);
        }
        Node parent = resolve(path.substring(0, slash));
        if (parent.kind != Entry.Kind.DIRECTORY) {
            throw new FsError(FsError.ENOTDIR, path);
        }
        if (name(path).getBytes(StandardCharsets.UTF_8).length > MAX_NAME) {
            throw new FsError(FsError.ENAMETOOLONG, path);
        }
        return parent;
    }

    private static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
