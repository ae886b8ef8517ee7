package dev.quilt.zdb.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One append-only data file {@code d<N>}: the source of truth of a namespace.
 *
 * <p><b>Format</b> (all integers little-endian, CRCs are CRC32C as {@link java.util.zip.CRC32C} computes it):
 * <pre>
 * header (20 bytes):
 *   0  char[4] magic "QZDD"
 *   4  u32     version (= 1)
 *   8  u32     file id N
 *  12  u64     generation: random per written file; a compaction rewrite gets a new one, and the
 *              index file i&lt;N&gt; repeats it so a stale index is detected
 * record (30 bytes + key + payload), appended back to back after the header:
 *   0  u32 headerCrc       CRC32C of bytes 4..29 and the key
 *   4  u8  flags           1 = deleted (tombstone, empty payload)
 *   5  u8  keyLen          0..255
 *   6  u32 payloadLen
 *  10  u32 timestamp       unix seconds
 *  14  u32 payloadCrc      CRC32C of the payload
 *  18  u32 previousOffset  offset of the previous record in this file, 0 for the first
 *  22  u32 parentFileId    previous version of this key (HISTORY chain);
 *  26  u32 parentOffset    both 0xFFFFFFFF when there is none
 *  30  key, then payload
 * </pre>
 * The data files alone rebuild everything else: index files, the memory table, sizes.
 *
 * <p>Not thread-safe: confined to the owner thread (compaction reads its own handles).
 */
final class DataFile implements AutoCloseable {

    static final byte[] MAGIC = {'Q', 'Z', 'D', 'D'};
    static final int VERSION = 1;
    static final int HEADER_SIZE = FileHeader.SIZE;
    static final int RECORD_HEADER_SIZE = 30;
    static final int FLAG_DELETED = 1;
    static final long NO_PARENT = 0xFFFF_FFFFL;

    private final AppendFile file;
    private final long fileId;
    private final long generation;
    private long lastRecordOffset;

    private DataFile(AppendFile file, long fileId, long generation) {
        this.file = file;
        this.fileId = fileId;
        this.generation = generation;
    }

    /** Creates (or resets) a data file holding just the header. */
    static DataFile create(Path path, long fileId, long generation) throws IOException {
        return new DataFile(FileHeader.create(path, MAGIC, VERSION, fileId, generation), fileId, generation);
    }

    /**
     * Opens an existing data file and checks its header. A file shorter than its header (a crash right
     * after creation) is re-initialised with {@code freshGeneration}.
     */
    static DataFile open(Path path, long fileId, long freshGeneration) throws IOException {
        AppendFile f = AppendFile.openExisting(path);
        if (f.size() < HEADER_SIZE) {
            f.close();
            return create(path, fileId, freshGeneration);
        }
        byte[] h = f.read(0, HEADER_SIZE);
        if (!Arrays.equals(Arrays.copyOf(h, 4), MAGIC) || Bytes.i32(h, 4) != VERSION || Bytes.u32(h, 8) != fileId) {
            f.close();
            throw new CorruptFileException(path + ": bad data file header (expected: magic QZDD, version "
                    + VERSION + ", file id " + fileId + ")");
        }
        return new DataFile(f, fileId, Bytes.i64(h, 12));
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

    boolean hasRecords() {
        return file.size() > HEADER_SIZE;
    }

    /** Offset of the newest record, 0 when none; recovery sets it after a scan. */
    long lastRecordOffset() {
        return lastRecordOffset;
    }

    void lastRecordOffset(long offset) {
        lastRecordOffset = offset;
    }

    /** Appends a record and returns its header as written. */
    RecordHeader append(int flags, byte[] key, byte[] payload, long timestamp, long parentFileId, long parentOffset)
            throws IOException {
        long offset = file.size();
        int payloadCrc = Bytes.crc32c(payload, 0, payload.length);
        byte[] h = encodeHeader(flags, key, payload.length, timestamp, payloadCrc, lastRecordOffset,
                parentFileId, parentOffset);
        file.append(h);
        file.append(payload);
        lastRecordOffset = offset;
        return new RecordHeader(offset, Bytes.i32(h, 0), flags, key, payload.length, timestamp & 0xFFFF_FFFFL,
                payloadCrc, Bytes.u32(h, 18), parentFileId, parentOffset);
    }

    static byte[] encodeHeader(int flags, byte[] key, long payloadLen, long timestamp, int payloadCrc,
                               long previousOffset, long parentFileId, long parentOffset) {
        byte[] h = new byte[RECORD_HEADER_SIZE + key.length];
        h[4] = (byte) flags;
        h[5] = (byte) key.length;
        Bytes.put32(h, 6, payloadLen);
        Bytes.put32(h, 10, timestamp);
        Bytes.put32(h, 14, payloadCrc);
        Bytes.put32(h, 18, previousOffset);
        Bytes.put32(h, 22, parentFileId);
        Bytes.put32(h, 26, parentOffset);
        System.arraycopy(key, 0, h, RECORD_HEADER_SIZE, key.length);
        Bytes.put32(h, 0, Bytes.crc32c(h, 4, h.length - 4));
        return h;
    }

    /**
     * The record header at {@code offset}, or null when no valid record starts there (out of range,
     * header checksum mismatch, or the record runs past the end of the file).
     */
    RecordHeader readHeader(long offset) throws IOException {
        if (offset < HEADER_SIZE || offset + RECORD_HEADER_SIZE > file.size()) {
            return null;
        }
        byte[] b = file.readUpTo(offset, RECORD_HEADER_SIZE + 255);
        return parseHeader(b, 0, b.length, offset, file.size());
    }

    /** Parses and validates a record header found at {@code b[at..at+avail)}; null when invalid. */
    static RecordHeader parseHeader(byte[] b, int at, int avail, long offset, long fileSize) {
        if (avail < RECORD_HEADER_SIZE) {
            return null;
        }
        int keyLen = Bytes.u8(b, at + 5);
        if (avail < RECORD_HEADER_SIZE + keyLen) {
            return null;
        }
        int stored = Bytes.i32(b, at);
        if (Bytes.crc32c(b, at + 4, RECORD_HEADER_SIZE - 4 + keyLen) != stored) {
            return null;
        }
        long payloadLen = Bytes.u32(b, at + 6);
        if (offset + RECORD_HEADER_SIZE + keyLen + payloadLen > fileSize) {
            return null;
        }
        byte[] key = Arrays.copyOfRange(b, at + RECORD_HEADER_SIZE, at + RECORD_HEADER_SIZE + keyLen);
        return new RecordHeader(offset, stored, Bytes.u8(b, at + 4), key, payloadLen, Bytes.u32(b, at + 10),
                Bytes.i32(b, at + 14), Bytes.u32(b, at + 18), Bytes.u32(b, at + 22), Bytes.u32(b, at + 26));
    }

    /**
     * Reads a whole record in one call and returns its payload, verifying that it is the record the
     * memory table describes (key, lengths, header checksum) and that both checksums hold.
     */
    byte[] readVerified(long offset, byte[] key, long payloadLen, int headerCrc) throws IOException {
        int headerLen = RECORD_HEADER_SIZE + key.length;
        long total = headerLen + payloadLen;
        if (offset < HEADER_SIZE || offset + total > file.size()) {
            throw new CorruptFileException(path() + ": record at offset " + offset + " of " + total
                    + " bytes runs past the end (" + file.size() + ")");
        }
        byte[] b = file.read(offset, (int) total);
        RecordHeader h = parseHeader(b, 0, b.length, offset, file.size());
        if (h == null || h.headerCrc() != headerCrc || h.payloadLen() != payloadLen || !Arrays.equals(h.key(), key)) {
            throw new CorruptFileException(path() + ": record at offset " + offset
                    + " does not match the index (expected: key of " + key.length + " bytes, header crc "
                    + Integer.toHexString(headerCrc) + ")");
        }
        if (Bytes.crc32c(b, headerLen, (int) payloadLen) != h.payloadCrc()) {
            throw new CorruptFileException(path() + ": payload checksum mismatch in the record at offset " + offset);
        }
        return Arrays.copyOfRange(b, headerLen, b.length);
    }

    /** The payload of {@code h}, verified against its checksum. */
    byte[] readPayload(RecordHeader h) throws IOException {
        byte[] p = readPayloadUnchecked(h);
        if (Bytes.crc32c(p, 0, p.length) != h.payloadCrc()) {
            throw new CorruptFileException(path() + ": payload checksum mismatch in the record at offset "
                    + h.offset());
        }
        return p;
    }

    byte[] readPayloadUnchecked(RecordHeader h) throws IOException {
        return file.read(h.payloadOffset(), (int) h.payloadLen());
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
