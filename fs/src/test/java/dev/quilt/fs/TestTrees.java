package dev.quilt.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Generated directory trees for snapshot and mount tests. */
final class TestTrees {
    private TestTrees() {
    }

    /** Random bytes from a seed, written in pieces so large files do not need one array. */
    static void randomFile(Path file, long size, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        Random random = new Random(seed);
        byte[] buffer = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buffer.length) {
                random.nextBytes(buffer);
                out.write(buffer, 0, (int) Math.min(buffer.length, left));
            }
        }
    }

    /**
     * A small tree: files around the chunk size (empty, short, exactly one chunk, several with a short tail),
     * a sparse file, a nested directory, a symlink.
     */
    static void generate(Path root, int chunkSize) throws IOException {
        Files.createDirectories(root.resolve("sub/deeper"));
        Files.write(root.resolve("empty"), new byte[0]);
        randomFile(root.resolve("short.txt"), 100, 1);
        randomFile(root.resolve("one-chunk"), chunkSize, 2);
        randomFile(root.resolve("sub/several"), 3L * chunkSize + 17, 3);
        randomFile(root.resolve("sub/deeper/big"), 5L * chunkSize, 4);
        try (var channel = java.nio.channels.FileChannel.open(root.resolve("sparse"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap("tail".getBytes()), 4L * chunkSize + 10);
        }
        Files.createSymbolicLink(root.resolve("link"), Path.of("sub/several"));
    }
}
