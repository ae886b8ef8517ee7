package dev.quilt.zdb.store;

import java.util.Arrays;

/**
 * The sequential-mode memory index: id to the position of its current record, as
 * {@code fileId << 32 | offset} in a growable {@code long[]} (8 bytes per id ever assigned; -1 for a
 * deleted id). Everything else about an entry is read from its record header.
 *
 * <p>Ids are never reused: {@link #nextId()} only grows, also across compactions (the namespace
 * descriptor keeps a floor for it, because a compaction may drop every record of the highest ids).
 * Unlike 0-db, an update does not consume an id.
 *
 * <p>Not thread-safe: confined to the owner thread.
 */
final class SeqTable {

    static final long NONE = -1;

    private long[] positions = new long[1024];
    private long nextId;
    private long size;

    long nextId() {
        return nextId;
    }

    long size() {
        return size;
    }

    long memoryBytes() {
        return (long) positions.length * 8;
    }

    /** Raises the next id to at least {@code floor}. */
    void reserveUpTo(long floor) {
        while (nextId < floor) {
            ensure(nextId);
            positions[(int) nextId] = NONE;
            nextId++;
        }
    }

    /** The packed position of {@code id}, or {@link #NONE}. */
    long get(long id) {
        return id < 0 || id >= nextId ? NONE : positions[(int) id];
    }

    /** Sets the position of {@code id}, growing the id space when it is new. */
    void put(long id, long fileId, long offset) {
        reserveUpTo(id + 1);
        if (positions[(int) id] == NONE) {
            size++;
        }
        positions[(int) id] = pack(fileId, offset);
    }

    boolean remove(long id) {
        if (get(id) == NONE) {
            return false;
        }
        positions[(int) id] = NONE;
        size--;
        return true;
    }

    void clear() {
        positions = new long[1024];
        nextId = 0;
        size = 0;
    }

    static long pack(long fileId, long offset) {
        return fileId << 32 | offset;
    }

    static long fileId(long packed) {
        return packed >>> 32;
    }

    static long offset(long packed) {
        return packed & 0xFFFF_FFFFL;
    }

    private void ensure(long id) {
        if (id >= Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("sequential id space exhausted: " + id);
        }
        if (id >= positions.length) {
            int cap = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(id + 1, (long) positions.length * 2));
            int old = positions.length;
            positions = Arrays.copyOf(positions, cap);
            Arrays.fill(positions, old, cap, NONE);
        }
    }
}
