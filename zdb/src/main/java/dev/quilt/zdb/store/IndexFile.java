package dev.quilt.zdb.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One index file {@code i<N>}: a derived hint file with one entry per record of data file
 * {@code d<N>}, in the same order, so that loading, SCAN and RSCAN never read payloads.
 *
 * <p><b>Format</b> (little-endian, CRC32C):
 * <pre>
 * header (20 bytes):
 *   0  char[4] magic "QZDI"
 *   4  u32     version (= 1)
 *   8  u32     file id N
 *  12  u64     generation of d&lt;N&gt; this index describes; a mismatch means the index is stale
 *              (for example a crash between the two renames of a compaction) and is rebuilt from data
 * entry (30 bytes + key):
 *   0  u32 entryCrc            CRC32C of bytes 4..29 and the key
 *   4  u8  flags               as the data record
 *   5  u8  keyLen
 *   6  u32 dataOffset          where the record starts in d&lt;N&gt;
 *  10  u32 payloadLen
 *  14  u32 timestamp
 *  18  u32 payloadCrc
 *  22  u32 dataHeaderCrc       the data record's headerCrc (part of SCAN cursors)
 *  26  u32 previousEntryOffset offset of the previous entry in this file, 0 for the first (RSCAN)
 *  30  key
 * </pre>
 * Index files are never modified in place: they are appended to, truncated by recovery, or rebuilt.
 * The checksum lets recovery cut a torn tail; anything else wrong is fixed by rebuilding from data.
 *
 * <p>In memory each file keeps a sparse sample of (dataOffset, entryOffset) every {@value #SAMPLE_EVERY}
 * entries, so a cursor's data offset is located with a binary search and a short walk.
 *
 * <p>Not thread-safe: confined to the owner thread.
 */
final class IndexFile implements AutoCloseable {

    static final byte[] MAGIC = {'Q', 'Z', 'D', 'I'};
    static final int VERSION = 1;
    static final int HEADER_SIZE = FileHeader.SIZE;
    static final int ENTRY_HEADER_SIZE = 30;
    /** Sparse sample interval: memory of 8 bytes per 64 entries, at most 64 entry reads per lookup. */
    static final int SAMPLE_EVERY = 64;

    private final AppendFile file;
    private final long fileId;
    private final long generation;
    private long entryCount;
    private long lastEntryOffset;
    private long[] samples = new long[16];
    private int sampleCount;

    private IndexFile(AppendFile file, long fileId, long generation) {
        this.file = file;
        this.fileId = fileId;
        this.generation = generation;
    }

    static IndexFile create(Path path, long fileId, long generation) throws IOException {
        return new IndexFile(FileHeader.create(path, MAGIC, VERSION, fileId, generation), fileId, generation);
    }

    /**
     * Opens an index file for data generation {@code dataGeneration}; returns null when it is missing,
     * malformed or stale (the caller rebuilds it). Entries are not loaded: see {@link #loadEntry}.
     */
    static IndexFile openIfValid(Path path, long fileId, long dataGeneration) throws IOException {
        if (!path.toFile().exists()) {
            return null;
        }
        AppendFile f = AppendFile.openExisting(path);
        if (f.size() >= HEADER_SIZE) {
            byte[] h = f.read(0, HEADER_SIZE);
            if (Arrays.equals(Arrays.copyOf(h, 4), MAGIC) && Bytes.i32(h, 4) == VERSION
                    && Bytes.u32(h, 8) == fileId && Bytes.i64(h, 12) == dataGeneration) {
                return new IndexFile(f, fileId, dataGeneration);
            }
        }
        f.close();
        return null;
    }

    /**
     * Opens an index whose data file is offloaded, so its generation cannot be checked; null when the
     * header is malformed.
     */
    static IndexFile openTrusted(Path path, long fileId) throws IOException {
        AppendFile f = AppendFile.openExisting(path);
        if (f.size() >= HEADER_SIZE) {
            byte[] h = f.read(0, HEADER_SIZE);
            if (Arrays.equals(Arrays.copyOf(h, 4), MAGIC) && Bytes.i32(h, 4) == VERSION && Bytes.u32(h, 8) == fileId) {
                return new IndexFile(f, fileId, Bytes.i64(h, 12));
            }
        }
        f.close();
        return null;
    }

    /** Loads every valid entry of a trusted index, stopping at the first invalid one. */
    static void loadAll(IndexFile index, Recovery.Sink sink) throws IOException {
        WindowReader r = new WindowReader(index.file());
        long pos = HEADER_SIZE;
        while (pos < index.size()) {
            int avail = (int) Math.min(ENTRY_HEADER_SIZE + 255, index.size() - pos);
            int at = r.fill(pos, avail);
            IndexEntry e = parse(r.buffer(), at, avail, pos);
            if (e == null) {
                return;
            }
            index.loadEntry(e);
            sink.accept(e);
            pos = e.nextEntryOffset();
        }
    }

    long fileId() {
        return fileId;
    }

    long generation() {
        return generation;
    }

    AppendFile file() {
        return file;
    }

    Path path() {
        return file.path();
    }

    long size() {
        return file.size();
    }

    long entryCount() {
        return entryCount;
    }

    /** Offset of the newest entry, 0 when the file has none. */
    long lastEntryOffset() {
        return lastEntryOffset;
    }

    /** Appends the entry describing {@code h} and returns it. */
    IndexEntry append(RecordHeader h) throws IOException {
        IndexEntry e = IndexEntry.of(file.size(), h, lastEntryOffset);
        file.append(encode(e));
        loadEntry(e);
        return e;
    }

    /** Records an entry that is already in the file (loading) or was just appended. */
    void loadEntry(IndexEntry e) {
        if (entryCount % SAMPLE_EVERY == 0) {
            if (sampleCount == samples.length) {
                samples = Arrays.copyOf(samples, samples.length * 2);
            }
            samples[sampleCount++] = e.dataOffset() << 32 | e.indexOffset();
        }
        entryCount++;
        lastEntryOffset = e.indexOffset();
    }

    static byte[] encode(IndexEntry e) {
        byte[] b = new byte[ENTRY_HEADER_SIZE + e.key().length];
        b[4] = (byte) e.flags();
        b[5] = (byte) e.key().length;
        Bytes.put32(b, 6, e.dataOffset());
        Bytes.put32(b, 10, e.payloadLen());
        Bytes.put32(b, 14, e.timestamp());
        Bytes.put32(b, 18, e.payloadCrc());
        Bytes.put32(b, 22, e.dataHeaderCrc());
        Bytes.put32(b, 26, e.previousEntryOffset());
        System.arraycopy(e.key(), 0, b, ENTRY_HEADER_SIZE, e.key().length);
        Bytes.put32(b, 0, Bytes.crc32c(b, 4, b.length - 4));
        return b;
    }

    /** Parses the entry at {@code b[at..at+avail)}; null when torn or failing its checksum. */
    static IndexEntry parse(byte[] b, int at, int avail, long indexOffset) {
        if (avail < ENTRY_HEADER_SIZE) {
            return null;
        }
        int keyLen = Bytes.u8(b, at + 5);
        if (avail < ENTRY_HEADER_SIZE + keyLen
                || Bytes.crc32c(b, at + 4, ENTRY_HEADER_SIZE - 4 + keyLen) != Bytes.i32(b, at)) {
            return null;
        }
        byte[] key = Arrays.copyOfRange(b, at + ENTRY_HEADER_SIZE, at + ENTRY_HEADER_SIZE + keyLen);
        return new IndexEntry(indexOffset, Bytes.u8(b, at + 4), key, Bytes.u32(b, at + 6), Bytes.u32(b, at + 10),
                Bytes.u32(b, at + 14), Bytes.i32(b, at + 18), Bytes.i32(b, at + 22), Bytes.u32(b, at + 26));
    }

    /** The entry at {@code offset}, or null when none starts there. */
    IndexEntry readEntry(long offset) throws IOException {
        if (offset < HEADER_SIZE || offset >= file.size()) {
            return null;
        }
        byte[] b = file.readUpTo(offset, ENTRY_HEADER_SIZE + 255);
        return parse(b, 0, b.length, offset);
    }

    /** The entry describing the data record at {@code dataOffset}, or null when there is none. */
    IndexEntry findByDataOffset(long dataOffset) throws IOException {
        int lo = 0;
        int hi = sampleCount - 1;
        int best = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if ((samples[mid] >>> 32) <= dataOffset) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (best < 0) {
            return null;
        }
        long at = samples[best] & 0xFFFF_FFFFL;
        for (int i = 0; i <= SAMPLE_EVERY; i++) {
            IndexEntry e = readEntry(at);
            if (e == null || e.dataOffset() > dataOffset) {
                return null;
            }
            if (e.dataOffset() == dataOffset) {
                return e;
            }
            at = e.nextEntryOffset();
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
