package dev.quilt.node;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@code volume} workload: an ext4 file system in a sparse image file of exactly the volume's
 * size, loop-mounted on a directory. Writes past the size fail with "No space left on device"
 * inside the workload, and nothing spills onto the node's disk beyond the image.
 *
 * <p>Why a loop image and not a project quota: quotas need the node's data file system to be
 * ext4 or XFS mounted with {@code prjquota}, which a farmer's machine rarely is (and overlay and
 * tmpfs never are); a loop image works on any file system that holds files, and the size is
 * enforced by the file system itself. The costs: root and a free loop device, and no online resize.
 *
 * <pre>
 * dir/volume.ext4   the image (sparse: uses only what is written)
 * dir/mnt           its mount point, which processes bind at their mount path
 * </pre>
 * Not thread-safe; one owner (the reconciler).
 */
final class LoopVolume {
    private final Path image;
    private final Path mountPoint;

    private LoopVolume(Path dir) {
        this.image = dir.resolve("volume.ext4");
        this.mountPoint = dir.resolve("mnt");
    }

    /** Creates (first time) and mounts (if not mounted) the volume in {@code dir}; idempotent, so it also re-adopts. */
    static LoopVolume open(Path dir, long sizeBytes) throws IOException {
        LoopVolume v = new LoopVolume(Files.createDirectories(dir));
        Files.createDirectories(v.mountPoint);
        if (!Files.exists(v.image)) {
            Path partial = dir.resolve("volume.ext4.partial");
            try (RandomAccessFile f = new RandomAccessFile(partial.toFile(), "rw")) {
                f.setLength(sizeBytes);
            }
            // -m 0: no blocks reserved for root, the workload gets the whole size; -E nodiscard: the image is fresh.
            run(List.of("mkfs.ext4", "-q", "-F", "-m", "0", "-E", "nodiscard", partial.toString()));
            Files.move(partial, v.image);
        }
        if (!v.isMounted()) {
            run(List.of("mount", "-o", "loop,nosuid,nodev", v.image.toString(), v.mountPoint.toString()));
        }
        return v;
    }

    Path mountPoint() {
        return mountPoint;
    }

    boolean isMounted() throws IOException {
        String target = mountPoint.toRealPath().toString();
        return Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8).stream()
                .map(l -> l.split(" ")[4]).anyMatch(target::equals);
    }

    /** Unmounts, keeping the data (pause, agent shutdown). */
    void unmount() throws IOException {
        if (isMounted()) {
            run(List.of("umount", mountPoint.toString()));
        }
    }

    /** Unmounts and deletes the data (contract cancelled or deleted). */
    void delete() throws IOException {
        unmount();
        Files.deleteIfExists(image);
        Files.deleteIfExists(mountPoint);
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed with status " + p.exitValue() + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException(String.join(" ", command) + " interrupted");
        }
    }
}
