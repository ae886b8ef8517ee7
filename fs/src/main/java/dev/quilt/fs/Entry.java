package dev.quilt.fs;

import java.util.List;

/**
 * One path of a snapshot's tree.
 *
 * @param path relative to the snapshot's root, '/'-separated, "" for the root itself
 * @param mode permission bits (and set-id/sticky bits), without the file type
 * @param mtimeMillis modification time, milliseconds since the epoch
 * @param size bytes of a regular file, the target's length for a symlink, 0 for a directory
 * @param linkTarget a symlink's target, "" otherwise
 * @param chunks a regular file's chunks in order; empty otherwise
 */
public record Entry(String path, Kind kind, int mode, int uid, int gid, long mtimeMillis, long size, String linkTarget,
        List<ChunkRef> chunks) {

    /** What an entry is. Devices, sockets and FIFOs are not snapshotted. */
    public enum Kind { DIRECTORY, FILE, SYMLINK }

    public Entry {
        chunks = List.copyOf(chunks);
    }
}
