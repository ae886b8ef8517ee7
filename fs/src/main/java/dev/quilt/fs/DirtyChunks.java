package dev.quilt.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Copy-on-write chunks: one local file per (inode, chunk index) under {@code dirty/}, holding that chunk's
 * current bytes (a short file reads as zeros past its end). Writes go to the kernel at once, so a kill -9
 * loses none; {@link #sync} forces a file's chunks to disk. Open channels are kept in a small LRU. Not
 * thread-safe: the tree calls it under its lock.
 */
final class DirtyChunks implements AutoCloseable {
    private static final int OPEN_CHANNELS = 64;

    private final Path dir;
    private final LinkedHashMap<Path, FileChannel> open = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, FileChannel> eldest) {
            if (size() > OPEN_CHANNELS) {
                closeQuietly(eldest.getValue());
                return true;
            }
            return false;
        }
    };
    /** Chunks written since their last fsync, by inode. */
    private final Map<Long, Set<Long>> unsynced = new java.util.HashMap<>();

    DirtyChunks(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    Path path(long ino, long index) {
        return dir.resolve(ino + "." + index);
    }

    /** The length of a chunk's file, 0 when it is missing. */
    long length(long ino, long index) {
        try {
            return Files.size(path(ino, index));
        } catch (IOException e) {
            return 0;
        }
    }

    /** Writes {@code src} at {@code offset} of the chunk's file; returns the file's new length. */
    long write(long ino, long index, long offset, ByteBuffer src) throws IOException {
        FileChannel ch = channel(ino, index);
        long pos = offset;
        while (src.hasRemaining()) {
            pos += ch.write(src, pos);
        }
        unsynced.computeIfAbsent(ino, k -> new HashSet<>()).add(index);
        return ch.size();
    }

    void read(long ino, long index, long offset, ByteBuffer dst) throws IOException {
        ChunkCache.readFully(channel(ino, index), offset, dst);
    }

    /** The chunk's whole current content. */
    byte[] readAll(long ino, long index) throws IOException {
        FileChannel ch = channel(ino, index);
        ByteBuffer all = ByteBuffer.allocate((int) ch.size());
        ChunkCache.readFully(ch, 0, all);
        return all.array();
    }

    void truncate(long ino, long index, long length) throws IOException {
        channel(ino, index).truncate(length);
        unsynced.computeIfAbsent(ino, k -> new HashSet<>()).add(index);
    }

    /** Sets the chunk's file to {@code data} (the start of a copy-on-write). */
    void replace(long ino, long index, byte[] data) throws IOException {
        channel(ino, index).truncate(0);
        write(ino, index, 0, ByteBuffer.wrap(data));
    }

    /** An empty chunk file (a hole being written). */
    void create(long ino, long index) throws IOException {
        channel(ino, index).truncate(0);
    }

    /** Forces the inode's written chunks, and the directory entries of new ones, to disk. */
    void sync(long ino) throws IOException {
        Set<Long> indexes = unsynced.remove(ino);
        if (indexes == null) {
            return;
        }
        for (long index : indexes) {
            if (Files.exists(path(ino, index))) {
                channel(ino, index).force(true);
            }
        }
        dev.quilt.common.io.AtomicFiles.syncDirectory(dir);
    }

    /** Closes the chunk's channel (before its file is moved or deleted). */
    void forget(long ino, long index) {
        FileChannel ch = open.remove(path(ino, index));
        if (ch != null) {
            closeQuietly(ch);
        }
        Set<Long> s = unsynced.get(ino);
        if (s != null) {
            s.remove(index);
        }
    }

    void delete(long ino, long index) throws IOException {
        forget(ino, index);
        Files.deleteIfExists(path(ino, index));
    }

    private FileChannel channel(long ino, long index) throws IOException {
        Path p = path(ino, index);
        FileChannel ch = open.get(p);
        if (ch == null) {
            ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            open.put(p, ch);
        }
        return ch;
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // the data is in the kernel already; closing cannot lose it
        }
    }

    @Override
    public void close() {
        open.values().forEach(DirtyChunks::closeQuietly);
        open.clear();
    }
}
