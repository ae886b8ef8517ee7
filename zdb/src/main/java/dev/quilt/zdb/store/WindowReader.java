package dev.quilt.zdb.store;

import java.io.IOException;
import java.util.zip.CRC32C;

/**
 * Sequential reads over an {@link AppendFile} through a sliding window, so that walking many small
 * records costs one read system call per window rather than per record. Not thread-safe.
 */
final class WindowReader {

    /** Window size for loading and compaction: thousands of index entries per system call. */
    static final int WINDOW = 256 * 1024;
    /** Window size for SCAN, which usually stops after a few entries: less to allocate and read per call. */
    static final int SMALL_WINDOW = 16 * 1024;

    private final AppendFile file;
    private final byte[] window;
    private long windowStart = -1;
    private int windowLen;

    WindowReader(AppendFile file) {
        this(file, WINDOW);
    }

    WindowReader(AppendFile file, int windowSize) {
        this.file = file;
        this.window = new byte[windowSize];
    }

    /**
     * Makes {@code [pos, pos + len)} available in {@link #buffer()} and returns its index there, or -1 when
     * the file ends before {@code pos + len}. {@code len} must not exceed the window size.
     */
    int fill(long pos, int len) throws IOException {
        if (pos + len > file.size()) {
            return -1;
        }
        if (windowStart < 0 || pos < windowStart || pos + len > windowStart + windowLen) {
            int n = (int) Math.min(window.length, file.size() - pos);
            file.read(pos, window, 0, n);
            windowStart = pos;
            windowLen = n;
        }
        return (int) (pos - windowStart);
    }

    byte[] buffer() {
        return window;
    }

    /** CRC32C of {@code [pos, pos + len)}, or null when the file ends first. */
    Integer crc(long pos, long len) throws IOException {
        if (pos + len > file.size()) {
            return null;
        }
        CRC32C crc = new CRC32C();
        long p = pos;
        long left = len;
        while (left > 0) {
            int chunk = (int) Math.min(left, window.length);
            int at = fill(p, chunk);
            crc.update(window, at, chunk);
            p += chunk;
            left -= chunk;
        }
        return (int) crc.getValue();
    }
}
