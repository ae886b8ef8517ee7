package dev.quilt.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A workload's captured output, bounded on disk: {@code name.log} grows to {@code maxBytes}, then
 * becomes {@code name.log.1} (replacing the previous one) and a new file starts. At most about
 * twice {@code maxBytes} is kept, so a chatty workload cannot fill the node's disk.
 *
 * <p>Every byte has a position: how many bytes this log was written before it, since this object
 * was made. {@link #read} returns what follows a position, so a reader that keeps up sees every
 * byte once, and one that fell behind learns how many were rotated away. Positions start over
 * with a new object (a new process version, an agent restart); the {@link Chunk#epoch} tells a
 * reader that they did.
 *
 * <p>One copier thread writes; readers may call {@link #tail}, {@link #read} and {@link #awaitOutput} from any
 * thread.
 */
final class BoundedLog {
    /**
     * What {@link #read} returns: {@code bytes} from position {@code next - bytes.length};
     * {@code more} when output past {@code next} was already written.
     */
    record Chunk(long epoch, byte[] bytes, long next, long skipped, boolean more) {}

    private final Path file;
    private final Path previous;
    private final long maxBytes;
    private final long epoch = new java.security.SecureRandom().nextLong() & Long.MAX_VALUE;
    /** Guards a rotation against a reader looking at both files. */
    private final Object rotation = new Object();
    /** The position of the first byte of {@code file}; changes only under {@link #rotation}. */
    private long start;

    BoundedLog(Path file, long maxBytes) {
        this.file = file;
        this.previous = file.resolveSibling(file.getFileName() + ".1");
        this.maxBytes = maxBytes;
    }

    /** Copies {@code in} until it ends, rotating as needed. */
    void copy(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        OutputStream out = open();
        long size = Files.size(file);
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (size + n > maxBytes) {
                    out.close();
                    synchronized (rotation) {
                        Files.move(file, previous, StandardCopyOption.REPLACE_EXISTING);
                        start += size;
                        out = open();
                    }
                    size = 0;
                }
                out.write(buffer, 0, n);
                out.flush();
                size += n;
                synchronized (rotation) {
                    rotation.notifyAll();
                }
            }
        } finally {
            out.close();
        }
    }

    /** The last {@code bytes} bytes of output, across the rotation boundary. */
    byte[] tail(int bytes) throws IOException {
        byte[] current = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        byte[] older = current.length < bytes && Files.exists(previous) ? Files.readAllBytes(previous) : new byte[0];
        byte[] all = new byte[older.length + current.length];
        System.arraycopy(older, 0, all, 0, older.length);
        System.arraycopy(current, 0, all, older.length, current.length);
        int from = Math.max(0, all.length - bytes);
        return java.util.Arrays.copyOfRange(all, from, all.length);
    }

    /**
     * The output after position {@code from} of epoch {@code epoch}, at most {@code max} bytes, cut
     * before a UTF-8 sequence that is not complete yet. A negative {@code from}, or one of another
     * epoch or beyond the end, starts from the last {@code max} bytes instead; {@code skipped}
     * counts the bytes between {@code from} and the oldest one still kept.
     */
    Chunk read(long epoch, long from, int max) throws IOException {
        synchronized (rotation) {
            long currentSize = Files.exists(file) ? Files.size(file) : 0;
            long previousSize = start > 0 && Files.exists(previous) ? Files.size(previous) : 0;
            long oldest = start - previousSize;
            long end = start + currentSize;
            if (from < 0 || epoch != this.epoch || from > end) {
                from = Math.max(oldest, end - max);
            }
            long skipped = Math.max(0, oldest - from);
            from += skipped;
            int length = (int) Math.min(max, end - from);
            byte[] bytes = new byte[length];
            int filled = 0;
            if (from < start) {
                filled = readAt(previous, from - oldest, bytes, 0, (int) Math.min(length, start - from));
            }
            if (filled < length) {
                filled += readAt(file, from + filled - start, bytes, filled, length - filled);
            }
            int whole = wholeUtf8(bytes, filled);
            return new Chunk(this.epoch, java.util.Arrays.copyOf(bytes, whole), from + whole, skipped, from + whole < end);
        }
    }

    /**
     * Waits until output past position {@code from} of epoch {@code epoch} has been written, at least one whole
     * character of it, or {@code max} has passed; returns at once for another epoch or a negative position, which
     * {@link #read} answers with the tail.
     */
    void awaitOutput(long epoch, long from, Duration max) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (rotation) {
            while (epoch == this.epoch && from >= 0 && !readableAfter(from)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(rotation, left);
            }
        }
    }

    /**
     * Whether {@link #read} from {@code from} would return something: a whole character, or the news that bytes
     * were rotated away. A character cut by a rotation, or still being written, is not output yet.
     */
    private boolean readableAfter(long from) throws IOException {
        Chunk next = read(epoch, from, 4);
        return next.bytes().length > 0 || next.skipped() > 0;
    }

    private static int readAt(Path path, long position, byte[] into, int offset, int length) throws IOException {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(path, StandardOpenOption.READ)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(into, offset, length);
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position + buffer.position() - offset);
                if (n < 0) {
                    break;
                }
            }
            return buffer.position() - offset;
        }
    }

    /** How many of the first {@code length} bytes end on a UTF-8 character boundary. */
    static int wholeUtf8(byte[] bytes, int length) {
        for (int back = 1; back <= Math.min(3, length); back++) {
            int b = bytes[length - back] & 0xFF;
            if (b < 0x80) {
                return length;
            }
            if (b >= 0xC0) {
                int needs = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                return needs > back ? length - back : length;
            }
        }
        return length;
    }

    private OutputStream open() throws IOException {
        return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
