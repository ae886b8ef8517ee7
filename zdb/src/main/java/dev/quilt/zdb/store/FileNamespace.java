package dev.quilt.zdb.store;

import dev.quilt.common.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A namespace backed by data files {@code <dataRoot>/<ns>/d<N>} and index files
 * {@code <indexRoot>/<ns>/i<N>}; the highest N is the active pair, every lower one is closed and never
 * written again (only compaction replaces it whole).
 *
 * <p><b>Memory.</b> User mode keeps every live key in a {@link KeyTable}; sequential mode keeps a
 * {@link SeqTable}. A record is live when the table points at its exact position; SCAN, compaction and
 * the invariants all use that one definition.
 *
 * <p><b>Concurrency.</b> Confined to the store's owner thread, except {@link #compact()}, which runs its
 * copying on the calling thread and its snapshot and switch on the owner thread.
 */
final class FileNamespace implements Namespace {
    private static final Logger LOG = LoggerFactory.getLogger(FileNamespace.class);
    private static final Pattern FILE_NAME = Pattern.compile("[di](\\d+)");

    private final FileStore store;
    private final String name;
    private final Path dataDir;
    private final Path indexDir;
    private final boolean isDefault;
    private NamespaceDescriptor descriptor;
    private final KeyTable keys = new KeyTable();
    private final SeqTable seqs = new SeqTable();
    /**
     * Per file id; a null data entry is a closed file not open now (never read since load, let go by
     * {@link DataFileHandles}, or offloaded). Every non-null closed entry is tracked there.
     */
    private final List<DataFile> dataFiles = new ArrayList<>();
    private final List<IndexFile> indexFiles = new ArrayList<>();
    private long dataSize;
    private AccessState accessState = AccessState.OPEN;
    private boolean deleted;
    /** Bumped whenever the files are replaced wholesale, so an in-flight compaction knows to give up. */
    private long epoch;
    private long[] loadLengths;

    FileNamespace(FileStore store, String name, Path dataDir, Path indexDir, NamespaceDescriptor descriptor) {
        this.store = store;
        this.name = name;
        this.dataDir = dataDir;
        this.indexDir = indexDir;
        this.descriptor = descriptor;
        this.isDefault = Store.DEFAULT_NAMESPACE.equals(name);
    }

    // ---------------------------------------------------------------- loading

    /** Opens every file pair, recovering each; returns the data bytes cut. */
    long load(boolean verifyActive) throws IOException {
        Files.createDirectories(dataDir);
        Files.createDirectories(indexDir);
        deleteLeftovers(dataDir);
        deleteLeftovers(indexDir);
        long maxId = Math.max(maxFileId(dataDir), maxFileId(indexDir));
        long cut = 0;
        loadLengths = new long[16];
        try {
            if (maxId < 0) {
                createPair(0);
            }
            for (long id = 0; id <= maxId; id++) {
                cut += loadPair(id, id == maxId, verifyActive && id == maxId);
            }
        } catch (IOException | RuntimeException e) {
            try {
                closeFiles();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            loadLengths = null;
        }
        seqs.reserveUpTo(descriptor.seqFloor());
        store.counters().recoveredBytesCut += cut;
        return cut;
    }

    private long loadPair(long id, boolean active, boolean verify) throws IOException {
        Path dp = dataPath(id);
        Path ip = indexPath(id);
        if (!Files.exists(dp) && !active && Files.exists(ip)) {
            // Offloaded data: trust the index; reads fire missingData.
            LOG.info("namespace {}: data file {} is absent, loading its index as is", name, dp);
            IndexFile index = IndexFile.openTrusted(ip, id);
            if (index != null) {
                long fid = id;
                IndexFile.loadAll(index, e -> apply(fid, e));
                dataFiles.add(null);
                indexFiles.add(index);
                return 0;
            }
        }
        DataFile data = Files.exists(dp) ? DataFile.open(dp, id, store.newGeneration())
                : DataFile.create(dp, id, store.newGeneration());
        long fid = id;
        Recovery.Recovered r = Recovery.recover(data, ip, verify, store.listener(), e -> apply(fid, e));
        if (!active) {
            // Thousands of closed files must not mean thousands of descriptors: reads reopen them. A tail cut
            // by recovery is forced first, as nothing else would force it (start-up may block).
            try (DataFile closed = data) {
                closed.file().force();
            }
            data = null;
        }
        dataFiles.add(data);
        indexFiles.add(r.index());
        return r.bytesCut();
    }

    private void apply(long fileId, IndexEntry e) {
        if (mode() == Mode.USER) {
            Location old = keys.get(e.key());
            if (old != null) {
                dataSize -= old.payloadLen();
            }
            if (e.isTombstone()) {
                keys.remove(e.key());
            } else {
                keys.put(e.key(), Location.of(fileId, e));
                dataSize += e.payloadLen();
            }
            return;
        }
        if (e.key().length != 8) {
            return;
        }
        long id = Bytes.i64(e.key(), 0);
        if (id < 0 || id >= Integer.MAX_VALUE - 8) {
            return;
        }
        if (id >= loadLengths.length) {
            loadLengths = Arrays.copyOf(loadLengths, (int) Math.max(id + 1, loadLengths.length * 2L));
        }
        if (seqs.get(id) != SeqTable.NONE) {
            dataSize -= loadLengths[(int) id];
        }
        if (e.isTombstone()) {
            seqs.reserveUpTo(id + 1);
            seqs.remove(id);
        } else {
            seqs.put(id, fileId, e.dataOffset());
            loadLengths[(int) id] = e.payloadLen();
            dataSize += e.payloadLen();
        }
    }

    /** A compaction interrupted by a crash leaves {@code .compact} files; they are never needed. */
    private static void deleteLeftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().endsWith(".compact")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static long maxFileId(Path dir) throws IOException {
        long max = -1;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Matcher m = FILE_NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    max = Math.max(max, Long.parseLong(m.group(1)));
                }
            }
        }
        return max;
    }

    private void createPair(long id) throws IOException {
        long gen = store.newGeneration();
        DataFile d = DataFile.create(dataPath(id), id, gen);
        IndexFile i = IndexFile.create(indexPath(id), id, gen);
        d.file().flush();
        i.file().flush();
        dataFiles.add(d);
        indexFiles.add(i);
    }

    Path dataPath(long id) {
        return dataDir.resolve("d" + id);
    }

    Path indexPath(long id) {
        return indexDir.resolve("i" + id);
    }

    Path dataDir() {
        return dataDir;
    }

    Path indexDir() {
        return indexDir;
    }

    void closeFiles() throws IOException {
        for (DataFile d : dataFiles) {
            if (d != null) {
                store.handles().forget(d);
            }
        }
        IOException failure = null;
        for (AutoCloseable c : allFiles()) {
            try {
                c.close();
            } catch (Exception e) {
                failure = failure == null ? new IOException("closing files of namespace " + name, e) : failure;
            }
        }
        dataFiles.clear();
        indexFiles.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private List<AutoCloseable> allFiles() {
        List<AutoCloseable> all = new ArrayList<>();
        for (DataFile d : dataFiles) {
            if (d != null) {
                all.add(d);
            }
        }
        all.addAll(indexFiles);
        return all;
    }

    private void resetMemory() {
        keys.clear();
        seqs.clear();
        dataSize = 0;
        epoch++;
    }

    // ---------------------------------------------------------------- accessors

    @Override
    public String name() {
        return name;
    }

    @Override
    public Mode mode() {
        return descriptor.settings().mode();
    }

    @Override
    public NamespaceSettings settings() {
        NamespaceSettings s = descriptor.settings();
        return isDefault ? s.withMaxSize(store.config().defaultMaxSize()) : s;
    }

    NamespaceDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public void updateSettings(NamespaceSettings settings) throws IOException {
        applySettings(settings);
        store.listener().namespaceUpdated(name);
    }

    /** Persists new settings without firing the update event (start-up adjusting a fresh namespace). */
    void applySettings(NamespaceSettings settings) throws IOException {
        checkOpen();
        if (settings.mode() != mode() && !isFresh()) {
            throw new IllegalStateException("mode of namespace " + name + " cannot change from " + mode().flag()
                    + " to " + settings.mode().flag() + " (expected: a namespace where nothing was ever written)");
        }
        NamespaceDescriptor next = descriptor.withSettings(settings);
        next.write(indexDir);
        if (settings.mode() != mode()) {
            resetMemory();
        }
        descriptor = next;
    }

    @Override
    public boolean isFresh() {
        return activeId() == 0 && !active().hasRecords();
    }

    @Override
    public AccessState accessState() {
        return accessState;
    }

    @Override
    public void accessState(AccessState state) {
        accessState = state;
    }

    @Override
    public boolean isDeleted() {
        return deleted;
    }

    long activeId() {
        return dataFiles.size() - 1;
    }

    DataFile active() {
        return dataFiles.get(dataFiles.size() - 1);
    }

    IndexFile activeIndex() {
        return indexFiles.get(indexFiles.size() - 1);
    }

    private void checkOpen() {
        if (deleted) {
            throw new IllegalStateException("namespace " + name + " was deleted");
        }
    }

    long epoch() {
        return epoch;
    }

    // ---------------------------------------------------------------- locating

    /** The current version of {@code key}, or null. In seq mode this reads the record header. */
    Location locate(byte[] key) throws IOException {
        if (mode() == Mode.USER) {
            return key.length == 0 || key.length > MAX_KEY_LENGTH ? null : keys.get(key);
        }
        if (key.length != 8) {
            return null;
        }
        long packed = seqs.get(Bytes.i64(key, 0));
        if (packed == SeqTable.NONE) {
            return null;
        }
        long fileId = SeqTable.fileId(packed);
        RecordHeader h = header(fileId, SeqTable.offset(packed));
        return Location.of(fileId, h);
    }

    private Location locateUnchecked(byte[] key) {
        try {
            return locate(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the table points at exactly this record. */
    boolean isLiveAt(byte[] key, long fileId, long offset) {
        if (mode() == Mode.USER) {
            Location loc = keys.get(key);
            return loc != null && loc.isAt(fileId, offset);
        }
        return key.length == 8 && seqs.get(Bytes.i64(key, 0)) == SeqTable.pack(fileId, offset);
    }

    /** Points a live key at its compacted copy. */
    void relocate(byte[] key, long fileId, RecordHeader h) {
        if (mode() == Mode.USER) {
            keys.put(key, Location.of(fileId, h));
        } else {
            seqs.put(Bytes.i64(key, 0), fileId, h.offset());
        }
    }

    /** Visits every live key with its position (file id, offset). */
    void forEachLive(LiveVisitor visitor) {
        if (mode() == Mode.USER) {
            keys.forEach((k, loc) -> visitor.visit(k, loc.fileId(), loc.offset()));
        } else {
            for (long id = 0; id < seqs.nextId(); id++) {
                long p = seqs.get(id);
                if (p != SeqTable.NONE) {
                    visitor.visit(Bytes.le64(id), SeqTable.fileId(p), SeqTable.offset(p));
                }
            }
        }
    }

    interface LiveVisitor {
        void visit(byte[] key, long fileId, long offset);
    }

    /** The data file {@code id}, opening a closed one on demand and asking for offloaded ones back. */
    DataFile dataFile(long id) throws IOException {
        if (id < 0 || id > activeId()) {
            throw new IOException("data file id " + id + " of namespace " + name + " (expected: 0.." + activeId() + ")");
        }
        DataFile d = dataFiles.get((int) id);
        if (d != null) {
            if (id != activeId()) {
                store.handles().used(d);
            }
            return d;
        }
        Path p = dataPath(id);
        if (!Files.exists(p) && !store.listener().missingData(p)) {
            throw new MissingDataFileException(p, "");
        }
        if (!Files.exists(p)) {
            throw new MissingDataFileException(p, " (still absent after the missing-data hook)");
        }
        d = DataFile.open(p, id, store.newGeneration());
        dataFiles.set((int) id, d);
        store.handles().opened(this, d);
        return d;
    }

    /** {@link DataFileHandles} closes {@code file}: its next read reopens it, or asks for it back. */
    void released(DataFile file) {
        int id = (int) file.fileId();
        if (id < activeId() && dataFiles.get(id) == file) {
            dataFiles.set(id, null);
        }
    }

    private RecordHeader header(long fileId, long offset) throws IOException {
        RecordHeader h = dataFile(fileId).readHeader(offset);
        if (h == null) {
            store.counters().dataReadFailed++;
            throw new CorruptFileException(dataPath(fileId) + ": no valid record at offset " + offset);
        }
        return h;
    }

    /** Reads and verifies the payload the table points at. */
    private byte[] readValue(Location loc, byte[] key) throws IOException {
        try {
            byte[] v = dataFile(loc.fileId()).readVerified(loc.offset(), key, loc.payloadLen(), loc.headerCrc());
            store.counters().dataReadBytes += DataFile.RECORD_HEADER_SIZE + key.length + v.length;
            return v;
        } catch (IOException e) {
            store.counters().dataReadFailed++;
            throw e;
        }
    }

    // ---------------------------------------------------------------- data commands

    @Override
    public SetOutcome set(byte[] key, byte[] value, long timestamp) throws IOException {
        checkOpen();
        if (key.length > MAX_KEY_LENGTH) {
            return new SetOutcome.Refused("Key too large");
        }
        byte[] recordKey = key;
        Location existing;
        if (mode() == Mode.USER) {
            if (key.length == 0) {
                return new SetOutcome.Refused("Invalid argument, key needed");
            }
            existing = keys.get(key);
        } else if (key.length == 0) {
            recordKey = Bytes.le64(seqs.nextId());
            existing = null;
        } else {
            existing = key.length == 8 ? locate(key) : null;
            if (existing == null) {
                return new SetOutcome.Refused("Invalid key, only update authorized");
            }
        }
        if (existing != null) {
            if (existing.payloadLen() == value.length
                    && Bytes.crc32c(value, 0, value.length) == existing.payloadCrc()
                    && Arrays.equals(readValue(existing, recordKey), value)) {
                return new SetOutcome.Unchanged();
            }
            if (descriptor.settings().worm()) {
                return new SetOutcome.Refused("Namespace is protected by worm mode");
            }
        }
        long maxSize = settings().maxSize();
        long existingLen = existing == null ? 0 : existing.payloadLen();
        if (maxSize > 0 && dataSize + value.length > maxSize + existingLen) {
            return new SetOutcome.Refused("No space left on this namespace");
        }
        RecordHeader h = append(0, recordKey, value, timestamp, existing);
        long fileId = activeId();
        if (mode() == Mode.USER) {
            keys.put(recordKey, Location.of(fileId, h));
        } else {
            seqs.put(Bytes.i64(recordKey, 0), fileId, h.offset());
        }
        dataSize += value.length - existingLen;
        return new SetOutcome.Stored(recordKey);
    }

    private RecordHeader append(int flags, byte[] key, byte[] value, long timestamp, Location parent)
            throws IOException {
        long recordSize = DataFile.RECORD_HEADER_SIZE + key.length + (long) value.length;
        if (active().size() + recordSize > store.config().dataFileSize() && active().hasRecords()) {
            jump();
        }
        long parentFile = parent == null ? DataFile.NO_PARENT : parent.fileId();
        long parentOffset = parent == null ? DataFile.NO_PARENT : parent.offset();
        RecordHeader h;
        try {
            h = active().append(flags, key, value, timestamp, parentFile, parentOffset);
        } catch (IOException e) {
            store.counters().dataWriteFailed++;
            throw e;
        }
        store.counters().dataWriteBytes += h.size();
        try {
            activeIndex().append(h);
        } catch (IOException e) {
            store.counters().indexWriteFailed++;
            throw e;
        }
        store.counters().indexWriteBytes += IndexFile.ENTRY_HEADER_SIZE + key.length;
        return h;
    }

    @Override
    public byte[] get(byte[] key) throws IOException {
        checkOpen();
        Location loc = locate(key);
        return loc == null ? null : readValue(loc, key);
    }

    @Override
    public boolean exists(byte[] key) {
        checkOpen();
        if (mode() == Mode.USER) {
            return key.length > 0 && key.length <= MAX_KEY_LENGTH && keys.get(key) != null;
        }
        return key.length == 8 && seqs.get(Bytes.i64(key, 0)) != SeqTable.NONE;
    }

    /** {@inheritDoc} In seq mode the record header is read; a read failure is an {@link UncheckedIOException}. */
    @Override
    public EntryInfo info(byte[] key) {
        checkOpen();
        Location loc = locateUnchecked(key);
        return loc == null ? null
                : new EntryInfo(loc.payloadLen(), loc.timestamp(), loc.payloadCrc(), loc.fileId(), loc.offset());
    }

    @Override
    public Integer check(byte[] key) {
        checkOpen();
        Location loc;
        try {
            loc = locate(key);
        } catch (IOException e) {
            return -1;
        }
        if (loc == null) {
            return null;
        }
        try {
            DataFile d = dataFile(loc.fileId());
            RecordHeader h = d.readHeader(loc.offset());
            if (h == null) {
                return -1;
            }
            byte[] p = d.readPayloadUnchecked(h);
            return Bytes.crc32c(p, 0, p.length) == loc.payloadCrc() ? 1 : 0;
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public DeleteOutcome delete(byte[] key, long timestamp) throws IOException {
        checkOpen();
        if (descriptor.settings().worm()) {
            return DeleteOutcome.WORM_PROTECTED;
        }
        Location loc = locate(key);
        if (loc == null) {
            return DeleteOutcome.NOT_FOUND;
        }
        append(DataFile.FLAG_DELETED, key, new byte[0], timestamp, loc);
        if (mode() == Mode.USER) {
            keys.remove(key);
        } else {
            seqs.remove(Bytes.i64(key, 0));
        }
        dataSize -= loc.payloadLen();
        return DeleteOutcome.DELETED;
    }

    @Override
    public long size() {
        return mode() == Mode.USER ? keys.size() : seqs.size();
    }

    @Override
    public long dataSize() {
        return dataSize;
    }

    // ---------------------------------------------------------------- scan

    @Override
    public ScanBatch scan(byte[] cursor, int maxEntries, long deadlineNanos) throws IOException, InvalidCursorException {
        checkOpen();
        long fileId = 0;
        long pos = IndexFile.HEADER_SIZE;
        if (cursor != null) {
            IndexEntry at = resolveCursor(cursor);
            fileId = Bytes.u32(cursor, 1);
            pos = at.nextEntryOffset();
        }
        List<ScanBatch.Entry> out = new ArrayList<>();
        byte[] next = null;
        for (; fileId <= activeId(); fileId++, pos = IndexFile.HEADER_SIZE) {
            IndexFile index = indexFiles.get((int) fileId);
            WindowReader r = new WindowReader(index.file(), WindowReader.SMALL_WINDOW);
            while (pos < index.size()) {
                int avail = (int) Math.min(IndexFile.ENTRY_HEADER_SIZE + 255, index.size() - pos);
                int at = r.fill(pos, avail);
                IndexEntry e = counted(index, pos, IndexFile.parse(r.buffer(), at, avail, pos));
                byte[] c = collect(fileId, e, out);
                if (c != null) {
                    next = c;
                    if (out.size() >= maxEntries || System.nanoTime() - deadlineNanos > 0) {
                        return new ScanBatch(next, List.copyOf(out));
                    }
                }
                pos = e.nextEntryOffset();
            }
        }
        return new ScanBatch(next, List.copyOf(out));
    }

    /** Counts an index entry read by SCAN/RSCAN; a corrupt one (null) fails the scan. */
    private IndexEntry counted(IndexFile index, long pos, IndexEntry e) throws CorruptFileException {
        if (e == null) {
            store.counters().indexReadFailed++;
            throw new CorruptFileException(index.path() + ": bad index entry at offset " + pos);
        }
        store.counters().indexReadBytes += e.size();
        return e;
    }

    /** Adds the entry to the batch when it is a key's live version; returns its cursor, or null when skipped. */
    private byte[] collect(long fileId, IndexEntry e, List<ScanBatch.Entry> out) {
        if (e.isTombstone() || !isLiveAt(e.key(), fileId, e.dataOffset())) {
            return null;
        }
        out.add(new ScanBatch.Entry(e.key(), e.payloadLen(), e.timestamp()));
        return cursor(fileId, e.key().length, e.payloadLen(), e.dataOffset(), e.dataHeaderCrc());
    }

    @Override
    public ScanBatch rscan(byte[] cursor, int maxEntries, long deadlineNanos) throws IOException, InvalidCursorException {
        checkOpen();
        long fileId = activeId();
        long pos = activeIndex().lastEntryOffset();
        if (cursor != null) {
            IndexEntry at = resolveCursor(cursor);
            fileId = Bytes.u32(cursor, 1);
            pos = at.previousEntryOffset();
        }
        List<ScanBatch.Entry> out = new ArrayList<>();
        byte[] next = null;
        while (fileId >= 0) {
            if (pos == 0) {
                fileId--;
                if (fileId >= 0) {
                    pos = indexFiles.get((int) fileId).lastEntryOffset();
                }
                continue;
            }
            IndexFile index = indexFiles.get((int) fileId);
            IndexEntry e = counted(index, pos, index.readEntry(pos));
            byte[] c = collect(fileId, e, out);
            if (c != null) {
                next = c;
                if (out.size() >= maxEntries || System.nanoTime() - deadlineNanos > 0) {
                    break;
                }
            }
            pos = e.previousEntryOffset();
        }
        return new ScanBatch(next, List.copyOf(out));
    }

    private IndexEntry resolveCursor(byte[] cursor) throws IOException, InvalidCursorException {
        if (cursor.length != 17) {
            throw new InvalidCursorException("Invalid key format");
        }
        int keyLen = Bytes.u8(cursor, 0);
        long fileId = Bytes.u32(cursor, 1);
        long payloadLen = Bytes.u32(cursor, 5);
        long dataOffset = Bytes.u32(cursor, 9);
        int crc = Bytes.i32(cursor, 13);
        if (fileId > activeId()) {
            throw new InvalidCursorException("Invalid key format");
        }
        IndexEntry e = indexFiles.get((int) fileId).findByDataOffset(dataOffset);
        if (e == null || e.key().length != keyLen || e.payloadLen() != payloadLen || e.dataHeaderCrc() != crc) {
            throw new InvalidCursorException("Invalid key format");
        }
        return e;
    }

    static byte[] cursor(long fileId, int keyLen, long payloadLen, long dataOffset, int headerCrc) {
        byte[] c = new byte[17];
        c[0] = (byte) keyLen;
        Bytes.put32(c, 1, fileId);
        Bytes.put32(c, 5, payloadLen);
        Bytes.put32(c, 9, dataOffset);
        Bytes.put32(c, 13, headerCrc);
        return c;
    }

    @Override
    public byte[] cursorOf(byte[] key) {
        checkOpen();
        Location loc = locateUnchecked(key);
        return loc == null ? null : cursor(loc.fileId(), key.length, loc.payloadLen(), loc.offset(), loc.headerCrc());
    }

    // ---------------------------------------------------------------- history and raw

    @Override
    public HistoryOutcome history(byte[] key, byte[] ekey) throws IOException {
        checkOpen();
        if (ekey != null && ekey.length != 8) {
            return new HistoryOutcome.Refused("Invalid arguments");
        }
        // Like 0-db, a key that is missing or deleted has no reachable history, with or without an ekey.
        Location current = locate(key);
        if (current == null) {
            return new HistoryOutcome.Refused("Key not found");
        }
        long fileId = current.fileId();
        long offset = current.offset();
        if (ekey != null) {
            fileId = Bytes.u32(ekey, 0);
            offset = Bytes.u32(ekey, 4);
            // Position (0, 0) is inside the file header, never a record: 0-db's end-of-history marker.
            if (fileId == 0 && offset == 0) {
                return new HistoryOutcome.Refused("No more history");
            }
        }
        RecordHeader h = versionAt(fileId, offset);
        if (h == null) {
            return new HistoryOutcome.Refused("Invalid arguments (index query)");
        }
        if (!Arrays.equals(h.key(), key)) {
            return new HistoryOutcome.Refused("Invalid arguments (invalid key)");
        }
        byte[] payload = dataFile(fileId).readPayload(h);
        byte[] previous = null;
        if (h.hasParent()) {
            long pf = h.parentFileId();
            long po = h.parentOffset();
            boolean earlier = pf < fileId || (pf == fileId && po < offset);
            RecordHeader parent = earlier ? versionAt(pf, po) : null;
            if (parent != null && Arrays.equals(parent.key(), key)) {
                previous = Bytes.position(pf, po);
            }
        }
        return new HistoryOutcome.Version(previous, h.timestamp(), payload);
    }

    /** A non-tombstone record at this position, or null when there is none (a bad position is not an error). */
    private RecordHeader versionAt(long fileId, long offset) {
        if (fileId > activeId()) {
            return null;
        }
        try {
            RecordHeader h = dataFile(fileId).readHeader(offset);
            return h == null || h.isTombstone() ? null : h;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public RawRecordOutcome rawRecord(long fileId, long offset) throws IOException {
        checkOpen();
        if (fileId < 0 || fileId > activeId()) {
            return new RawRecordOutcome.Invalid();
        }
        DataFile d = dataFile(fileId);
        if (offset >= d.size()) {
            return new RawRecordOutcome.EndOfFile();
        }
        RecordHeader h = d.readHeader(offset);
        if (h == null || h.isTombstone()) {
            return new RawRecordOutcome.Invalid();
        }
        byte[] payload = d.readPayload(h);
        return new RawRecordOutcome.Record(h.key(), h.previousOffset(), h.payloadCrc(), h.flags(), h.timestamp(),
                payload.length == 0 ? null : payload);
    }

    // ---------------------------------------------------------------- files

    @Override
    public void jump() throws IOException {
        checkOpen();
        DataFile oldData = active();
        IndexFile oldIndex = activeIndex();
        // The closed pair is forced by the syncer, not here: an fsync of up to a whole data file's worth of
        // dirty pages would stall every connection served by this thread.
        oldData.file().flush();
        oldIndex.file().flush();
        store.syncer().markDirty(oldData.file());
        store.syncer().markDirty(oldIndex.file());
        store.syncer().request(new CompletableFuture<>());
        long id = activeId() + 1;
        createPair(id);
        store.handles().opened(this, oldData);
        store.listener().jumped(name, oldIndex.path(), indexPath(id), oldData.path(), dataPath(id));
    }

    /** Hands buffered data appends to the OS and tells the syncer which files to force. */
    void flush() throws IOException {
        if (deleted || dataFiles.isEmpty()) {
            return;
        }
        AppendFile d = active().file();
        d.flush();
        // The active index is not flushed here: it is derived, and recovery re-indexes whatever data lies
        // beyond its last entry, so an acknowledgement costs one write system call, not two. Its buffer
        // reaches the OS when full, at a jump and at close.
        // Large appends bypass the buffer, so ask the file whether anything awaits an fsync.
        if (d.isDirty()) {
            store.syncer().markDirty(d);
        }
    }

    /** Flushes and forces the active pair (close, jump). */
    void force() throws IOException {
        if (deleted || dataFiles.isEmpty()) {
            return;
        }
        active().file().force();
        activeIndex().file().force();
    }

    @Override
    public void flushAll() throws IOException {
        checkOpen();
        closeFiles();
        deleteFiles(dataDir, false);
        deleteFiles(indexDir, false);
        resetMemory();
        descriptor = descriptor.withSeqFloor(0);
        descriptor.write(indexDir);
        createPair(0);
    }

    /** Removes every data and index file; with {@code all}, also the descriptor and the directory. */
    static void deleteFiles(Path dir, boolean all) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (all || FILE_NAME.matcher(n).matches() || n.endsWith(".compact")) {
                    Files.deleteIfExists(p);
                }
            }
        }
        if (all) {
            Files.deleteIfExists(dir);
        }
    }

    @Override
    public void reload() throws IOException {
        checkOpen();
        closeFiles();
        resetMemory();
        descriptor = NamespaceDescriptor.read(indexDir);
        load(false);
        store.listener().namespaceReloaded(name);
    }

    /** Closes and removes everything; the object then reports {@link #isDeleted()}. */
    void destroy() throws IOException {
        closeFiles();
        resetMemory();
        deleted = true;
        // The descriptor goes first: without it the directories are leftovers, never a half namespace.
        Files.deleteIfExists(NamespaceDescriptor.path(indexDir));
        AtomicFiles.syncDirectory(indexDir);
        deleteFiles(dataDir, true);
        deleteFiles(indexDir, true);
    }

    @Override
    public CompactionReport compact() throws IOException {
        checkOpen();
        return new Compactor(this, store).run();
    }

    /** Replaces closed pair {@code id} with compacted files already in place on disk (owner thread). */
    void replacePair(long id, DataFile data, IndexFile index) throws IOException {
        DataFile oldData = dataFiles.get((int) id);
        if (oldData != null) {
            store.handles().forget(oldData);
            oldData.close();
        }
        indexFiles.get((int) id).close();
        dataFiles.set((int) id, data);
        indexFiles.set((int) id, index);
        store.handles().opened(this, data);
    }

    IndexFile indexFile(long id) {
        return indexFiles.get((int) id);
    }

    void seqFloor(long floor) throws IOException {
        if (floor > descriptor.seqFloor()) {
            descriptor = descriptor.withSeqFloor(floor);
            descriptor.write(indexDir);
        }
    }

    long nextSeqId() {
        return seqs.nextId();
    }

    @Override
    public NamespaceStats stats() {
        checkOpen();
        long mem = mode() == Mode.USER ? keys.memoryBytes() : seqs.memoryBytes();
        return new NamespaceStats(indexDir, dataDir, activeIndex().path(), active().path(), activeId(),
                active().size(), mem, mode() == Mode.SEQ ? seqs.nextId() : 0);
    }

    // ---------------------------------------------------------------- invariants

    /**
     * Test hook: every live key's record is readable and matches the table, and size/dataSize equal the
     * sums over the live records found by walking the index files.
     */
    void checkInvariants() throws IOException {
        boolean offloaded = false;
        for (long f = 0; f < activeId(); f++) {
            offloaded |= dataFiles.get((int) f) == null && !Files.exists(dataPath(f));
        }
        if (offloaded) {
            checkIndexInvariants();
            return;
        }
        long[] counted = new long[2];
        IOException[] failure = new IOException[1];
        forEachLive((key, fileId, offset) -> {
            try {
                RecordHeader h = dataFile(fileId).readHeader(offset);
                if (h == null || h.isTombstone() || !Arrays.equals(h.key(), key)) {
                    throw new IllegalStateException("live key does not match its record at " + fileId + ":" + offset);
                }
                if (mode() == Mode.USER) {
                    Location loc = keys.get(key);
                    if (loc.headerCrc() != h.headerCrc() || loc.payloadLen() != h.payloadLen()
                            || loc.payloadCrc() != h.payloadCrc() || loc.timestamp() != h.timestamp()) {
                        throw new IllegalStateException("table entry differs from record at " + fileId + ":" + offset);
                    }
                }
                counted[0]++;
                counted[1] += h.payloadLen();
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        if (counted[0] != size() || counted[1] != dataSize) {
            throw new IllegalStateException("size " + size() + " / dataSize " + dataSize + " (expected: "
                    + counted[0] + " / " + counted[1] + " from the live records)");
        }
        checkIndexInvariants();
    }

    /** Every index file parses whole, and exactly {@link #size()} of its entries are live. */
    private void checkIndexInvariants() throws IOException {
        long liveInIndex = 0;
        for (long f = 0; f <= activeId(); f++) {
            IndexFile index = indexFiles.get((int) f);
            long count = 0;
            for (long pos = IndexFile.HEADER_SIZE; pos < index.size(); ) {
                IndexEntry e = index.readEntry(pos);
                if (e == null) {
                    throw new IllegalStateException(index.path() + ": bad entry at " + pos);
                }
                if (!e.isTombstone() && isLiveAt(e.key(), f, e.dataOffset())) {
                    liveInIndex++;
                }
                count++;
                pos = e.nextEntryOffset();
            }
            if (count != index.entryCount()) {
                throw new IllegalStateException(index.path() + ": " + count + " entries (expected: "
                        + index.entryCount() + ")");
            }
        }
        if (liveInIndex != size()) {
            throw new IllegalStateException("index files hold " + liveInIndex + " live entries (expected: " + size() + ")");
        }
    }
}
