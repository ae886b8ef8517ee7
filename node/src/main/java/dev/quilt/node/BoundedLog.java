package dev.quilt.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A workload's captured output, bounded on disk: {@code name.log} grows to {@code maxBytes}, then
 * becomes {@code name.log.1} (replacing the previous one) and a new file starts. At most about
 * twice {@code maxBytes} is kept, so a chatty workload cannot fill the node's disk.
 *
 * <p>Not thread-safe: one copier thread writes; readers call {@link #tail}, which tolerates a
 * rotation in between (it may then read slightly less).
 */
final class BoundedLog {
    private final Path file;
    private final Path previous;
    private final long maxBytes;

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
                    Files.move(file, previous, StandardCopyOption.REPLACE_EXISTING);
                    out = open();
                    size = 0;
                }
                out.write(buffer, 0, n);
                out.flush();
                size += n;
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

    private OutputStream open() throws IOException {
        return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
