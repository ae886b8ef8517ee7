package dev.quilt.node;

import dev.quilt.fs.FsMount;
import dev.quilt.zstor.Zstor;
import dev.quilt.zstor.config.ZstorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A {@code thin} workload: a snapshot mounted copy-on-write with the fs module, in the agent's own
 * JVM. In-process rather than a child process because the processes that read it die with the
 * agent anyway (so a separate mount process would outlive nothing worth keeping), and one JVM costs
 * the node no second heap per snapshot.
 *
 * <pre>
 * dir/cache   the mount's cache (its RocksDB metadata, clean and dirty chunks): kept across agent
 *             restarts, so a re-mount resumes with every write and every fetched chunk
 * dir/mnt     the mount point, which processes bind at their mount path
 * </pre>
 * Not thread-safe; one owner (the reconciler).
 */
final class ThinMount {
    private final Path dir;
    private final Zstor zstor;
    private final FsMount fs;

    private ThinMount(Path dir, Zstor zstor, FsMount fs) {
        this.dir = dir;
        this.zstor = zstor;
        this.fs = fs;
    }

    /** Opens (first time: fills from the manifest; later: resumes) and mounts the snapshot in {@code dir}. */
    static ThinMount open(Path dir, Workload.Thin thin, byte[] zstorConfig) throws IOException {
        ZstorConfig config;
        try {
            config = ZstorConfig.parse(new String(zstorConfig, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IOException("zstor config: " + e.getMessage(), e);
        }
        // A killed agent leaves a dead mount here, on which even creating the directory fails.
        clearDeadMount(dir.resolve("mnt"));
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        Zstor zstor = Zstor.open(config);
        FsMount fs = null;
        try {
            fs = FsMount.open(zstor, thin.manifest(), FsMount.Options.defaults(dir.resolve("cache"), thin.cacheBytes()),
                    FsMount.describeBackends(config));
            fs.mount(mnt);
            return new ThinMount(dir, zstor, fs);
        } catch (IOException | RuntimeException e) {
            if (fs != null) {
                fs.close();
            }
            zstor.close();
            throw e;
        }
    }

    Path mountPoint() {
        return dir.resolve("mnt");
    }

    /** Bytes fetched from zstor since this mount opened. */
    long fetchedBytes() {
        return fs.fetchedBytes();
    }

    /** The mount's fs metrics: cache hits and misses, fetches, evictions, flushes, dirty and cached bytes. */
    dev.quilt.common.metrics.MetricsRegistry metrics() {
        return fs.metrics();
    }

    /** Unmounts, keeping the cache (pause, agent shutdown). */
    void unmount() {
        fs.close();
        zstor.close();
    }

    /** Unmounts and deletes the cache (contract cancelled or deleted). */
    void delete() throws IOException {
        unmount();
        deleteDir(dir);
    }

    /** Takes down, lazily, a mount whose process died: stat on it fails with "Transport endpoint is not connected". */
    static void clearDeadMount(Path mnt) throws IOException {
        try {
            Files.readAttributes(mnt, "basic:isDirectory");
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        } catch (java.nio.file.FileSystemException e) {
            try {
                new ProcessBuilder("umount", "-l", mnt.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("umount -l " + mnt + " interrupted");
            }
        }
    }

    /** Deletes what a thin workload left in {@code dir}, after a dead mount (agent killed) is taken down. */
    static void deleteDir(Path dir) throws IOException {
        clearDeadMount(dir.resolve("mnt"));
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
