package dev.quilt.zdb.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One namespace: a key space with its own settings, data files and index files.
 *
 * <p>Confined to the store's owner thread. Access control (admin, passwords, lock, freeze, read-only
 * connections) is the caller's job; this type enforces the data rules: key limits, mode, worm, maxsize.
 *
 * <p>Keys and values are raw bytes. In {@link Mode#SEQ} keys are 8-byte little-endian ids.
 * Timestamps are unix seconds (unsigned 32-bit).
 */
public interface Namespace {

    int MAX_KEY_LENGTH = 255;

    String name();

    Mode mode();

    NamespaceSettings settings();

    /**
     * Replaces the persisted settings (written atomically). Changing the mode is allowed only while the
     * namespace is fresh (nothing ever written); otherwise {@link IllegalStateException}.
     */
    void updateSettings(NamespaceSettings settings) throws IOException;

    /** True while nothing was ever written (the mode may still change). */
    boolean isFresh();

    /** Runtime-only read/write state (0-db's {@code lock} and {@code freeze}; not persisted). */
    AccessState accessState();

    void accessState(AccessState state);

    /** True once the namespace was deleted; every other call then fails. */
    boolean isDeleted();

    /**
     * Stores a value. In user mode an empty key is refused; in seq mode an empty key appends a new id
     * and an 8-byte key must name an existing id. An identical value is not rewritten.
     *
     * @param timestamp the entry's timestamp in unix seconds (the server passes the clock or the admin's value)
     */
    SetOutcome set(byte[] key, byte[] value, long timestamp) throws IOException;

    /** The current value, or {@code null} when missing or deleted. Verifies the record's checksum. */
    byte[] get(byte[] key) throws IOException;

    boolean exists(byte[] key);

    /** Location and metadata of the current version, or {@code null} when missing or deleted. */
    EntryInfo info(byte[] key);

    /**
     * Re-reads the stored payload and compares its checksum: 1 when intact, 0 when corrupt, -1 when it
     * cannot be read; {@code null} when missing or deleted.
     */
    Integer check(byte[] key);

    DeleteOutcome delete(byte[] key, long timestamp) throws IOException;

    /** Live entries. */
    long size();

    /** Sum of live payload bytes (what maxsize limits). */
    long dataSize();

    /**
     * Walks entries in order of last write, starting after {@code cursor} ({@code null} = from the start),
     * returning at most {@code maxEntries} and stopping early once {@code deadlineNanos}
     * ({@link System#nanoTime()}) passes (at least one entry is always returned if any remains).
     *
     * @return the batch, or an empty batch when nothing remains ({@code -No more data})
     * @throws InvalidCursorException when the cursor is malformed or does not point at an entry
     */
    ScanBatch scan(byte[] cursor, int maxEntries, long deadlineNanos) throws IOException, InvalidCursorException;

    /** Like {@link #scan} but walking backwards from the newest entry (or from before {@code cursor}). */
    ScanBatch rscan(byte[] cursor, int maxEntries, long deadlineNanos) throws IOException, InvalidCursorException;

    /** The 17-byte cursor of the key's current entry, or {@code null} when missing or deleted. */
    byte[] cursorOf(byte[] key);

    /**
     * One step of a key's version chain: the version at {@code ekey} (8 bytes), or the current version
     * when {@code ekey} is {@code null}.
     */
    HistoryOutcome history(byte[] key, byte[] ekey) throws IOException;

    /** Closes the active data and index files and opens the next pair (NSJUMP), firing the jump event. */
    void jump() throws IOException;

    /** Deletes every entry and every file, leaving a fresh, empty namespace with the same settings. */
    void flushAll() throws IOException;

    /** Drops in-memory state and reloads it from the files (after an external change). */
    void reload() throws IOException;

    /** The raw record at a data file position (DATA RAW). */
    RawRecordOutcome rawRecord(long fileId, long offset) throws IOException;

    /**
     * Rewrites every closed data file keeping only the current version of live keys; never touches the
     * active file. Blocks the caller (run it off the owner thread); the switch to the new files happens
     * on the owner thread.
     */
    CompactionReport compact() throws IOException;

    /** Paths, active file ids and offsets, memory use, for NSINFO. */
    NamespaceStats stats();

    /** Per-namespace runtime state for lock/freeze. */
    enum AccessState { OPEN, LOCKED, FROZEN }

    /** @param path directories used by the namespace */
    record NamespaceStats(Path indexPath, Path dataPath, Path activeIndexFile, Path activeDataFile,
                          long activeFileId, long activeDataOffset, long indexMemoryBytes, long nextSeqId) { }
}
