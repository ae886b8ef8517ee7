package dev.quilt.fs;

import dev.quilt.common.crypto.Hash256;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One inode of a mounted tree, in memory; {@link LocalState} keeps its durable copy. Guarded by the tree's
 * lock. A file's chunks are slots by chunk index: absent is a hole, {@link Clean} is a chunk in zstor (and
 * maybe in the local cache), {@link Dirty} is a local copy-on-write file not yet flushed.
 */
final class Node {
    final long ino;
    Entry.Kind kind;
    int mode;
    int uid;
    int gid;
    long mtimeMillis;
    long size;
    String linkTarget = "";
    /** Directories: name → inode. */
    final TreeMap<String, Long> children = new TreeMap<>();
    /** Files: chunk index → slot. */
    final Map<Long, Slot> slots = new HashMap<>();

    Node(long ino, Entry.Kind kind, int mode, int uid, int gid, long mtimeMillis) {
        this.ino = ino;
        this.kind = kind;
        this.mode = mode;
        this.uid = uid;
        this.gid = gid;
        this.mtimeMillis = mtimeMillis;
    }

    /** A chunk's place. */
    sealed interface Slot permits Clean, Dirty {
    }

    /**
     * Stored in zstor under {@code hash}. The stored bytes may be shorter than the chunk's extent in the file
     * (the file grew past them later): the rest reads as zeros.
     */
    record Clean(Hash256 hash) implements Slot {
    }

    /** A local file with this chunk's current bytes; {@code version} changes with every write to it. */
    static final class Dirty implements Slot {
        long version;
        long length;
        long lastWriteNanos;

        Dirty(long version, long length) {
            this.version = version;
            this.length = length;
            this.lastWriteNanos = System.nanoTime();
        }
    }
}
