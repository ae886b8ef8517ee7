package dev.quilt.zdb.store;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file that only grows at its end, with an in-process append buffer in front of it.
 *
 * <p>Appends land in a {@value #BUFFER_SIZE}-byte buffer and reach the operating system on
 * {@link #flush()} (or when the buffer fills); {@link #force()} also fsyncs. Reads see buffered bytes
 * too, so callers never care what was flushed.
 *
 * <p>Not thread-safe: confined to the store's owner thread, except {@link #forceChannel()} which the
 * syncer may call concurrently (the channel allows it) and which only forces what was flushed before.
 */
final class AppendFile implements AutoCloseable {

    /** Append buffer size: large enough to batch small records into one write system call. */
    static final int BUFFER_SIZE = 64 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int buffered;
    private long flushedSize;
    /** Bumped by the owner each time bytes reach the OS. */
    private volatile long flushes;
    /**
     * The {@code flushes} value the last completed fsync covers. It is only set after the fsync returns, so
     * the owner never sees a file as clean while the syncer is still forcing it, and closes it only after.
     */
    private volatile long forced;

    private AppendFile(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.flushedSize = channel.size();
    }

    static AppendFile open(Path path) throws IOException {
        return new AppendFile(path, FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE));
    }

    static AppendFile openExisting(Path path) throws IOException {
        return new AppendFile(path, FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    Path path() {
        return path;
    }

    long size() {
        return flushedSize + buffered;
    }

    void append(byte[] b) throws IOException {
        append(b, 0, b.length);
    }

    void append(byte[] b, int off, int len) throws IOException {
        if (len > BUFFER_SIZE - buffered) {
            flush();
            if (len > BUFFER_SIZE) {
                writeFully(ByteBuffer.wrap(b, off, len), flushedSize);
                flushedSize += len;
                flushes++;
                return;
            }
        }
        System.arraycopy(b, off, buffer, buffered, len);
        buffered += len;
    }

    /** Hands buffered bytes to the operating system. */
    void flush() throws IOException {
        if (buffered == 0) {
            return;
        }
        writeFully(ByteBuffer.wrap(buffer, 0, buffered), flushedSize);
        flushedSize += buffered;
        buffered = 0;
        flushes++;
    }

    /** Flushes and fsyncs. */
    void force() throws IOException {
        flush();
        forceChannel();
    }

    /** Fsyncs what was flushed so far; safe from the syncer thread. */
    void forceChannel() throws IOException {
        long upTo = flushes;
        if (upTo != forced) {
            channel.force(false);
            // Two concurrent callers may leave an older value here: that only costs a spare fsync later.
            forced = upTo;
        }
    }

    /** True while something handed to the OS is not known to be on disk. */
    boolean isDirty() {
        return flushes != forced;
    }

    /** Reads exactly {@code len} bytes at {@code pos}, from the file and the append buffer. */
    void read(long pos, byte[] dst, int off, int len) throws IOException {
        if (pos < 0 || pos + len > size()) {
            throw new EOFException("read past end: " + path + " position " + pos + " length " + len
                    + " (expected: <= " + size() + ")");
        }
        int fromFile = (int) Math.max(0, Math.min(len, flushedSize - pos));
        if (fromFile > 0) {
            ByteBuffer bb = ByteBuffer.wrap(dst, off, fromFile);
            long p = pos;
            while (bb.hasRemaining()) {
                int n = channel.read(bb, p);
                if (n < 0) {
                    throw new EOFException("unexpected end of " + path + " at " + p);
                }
                p += n;
            }
        }
        if (fromFile < len) {
            int bufPos = (int) (pos + fromFile - flushedSize);
            System.arraycopy(buffer, bufPos, dst, off + fromFile, len - fromFile);
        }
    }

    byte[] read(long pos, int len) throws IOException {
        byte[] b = new byte[len];
        read(pos, b, 0, len);
        return b;
    }

    /** Reads up to {@code len} bytes, fewer at the end of the file. */
    byte[] readUpTo(long pos, int len) throws IOException {
        int n = (int) Math.max(0, Math.min(len, size() - pos));
        return read(pos, n);
    }

    /** Cuts the file at {@code newSize} (recovery only). */
    void truncate(long newSize) throws IOException {
        flush();
        channel.truncate(newSize);
        flushedSize = newSize;
        flushes++;
    }

    FileChannel channel() {
        return channel;
    }

    private void writeFully(ByteBuffer bb, long pos) throws IOException {
        long p = pos;
        while (bb.hasRemaining()) {
            p += channel.write(bb, p);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            channel.close();
        }
    }
}
