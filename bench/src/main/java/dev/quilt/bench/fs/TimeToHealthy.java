package dev.quilt.bench.fs;

import dev.quilt.common.crypto.Hash256;
import dev.quilt.fs.ChunkStore;
import dev.quilt.fs.FsMount;
import dev.quilt.fs.SnapshotReport;
import dev.quilt.fs.SnapshotRestorer;
import dev.quilt.fs.Snapshotter;
import dev.quilt.zstor.Zstor;
import dev.quilt.zstor.config.ZstorConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Time to a healthy node: a {@link ChainNode} whose RocksDB database is SIZE MiB of 64 KiB blocks, snapshotted
 * into zstor, then started on a new machine's empty disk two ways, each timed from nothing local to its
 * {@code /health} answering 200 with the snapshot's head height:
 *
 * <ul>
 *   <li><b>thin</b>: open the snapshot over an empty cache directory, mount it with FUSE, start the node on
 *       the mount (chunks fetched as the node reads them);
 *   <li><b>full restore</b> (the peer): copy the whole data directory out of zstor first ({@link SnapshotRestorer},
 *       16 chunks in flight, as a restore tool does), then start the same node on local disk.
 * </ul>
 *
 * The node is the same program on both sides, started the same way (a JVM, RocksDB's native library
 * installed beforehand). The kernel page cache is dropped before each run (the zdb servers' files go cold too). The node is a separate
 * JVM each time, so both sides pay its start; the thin side's first run also pays the first FUSE mount in this
 * JVM (loading jfuse and libfuse), which a node agent pays once, so a second thin run is reported too; with
 * {@code -Dfs.preload=true} the JVM calls {@link FsMount#preload()} first, outside the timed runs, as an agent
 * could when it starts.
 */
public final class TimeToHealthy {
    private static final int BLOCK = 64 << 10;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final String ROCKSDB_LIB = "librocksdbjni-linux64.so";
    /** RocksDB's native library, installed once as a node's binary would be, so no start pays for unpacking it. */
    private static Path lib;

    private TimeToHealthy() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 + FsBenchmark.N) {
            System.err.println("usage: TimeToHealthy SIZE_MIB CACHE_MIB WORK_DIR PORT1 .. PORT6");
            System.exit(2);
        }
        long size = Long.parseLong(args[0]) << 20;
        long cacheSize = Long.parseLong(args[1]) << 20;
        Path work = Path.of(args[2]);
        ZstorConfig config = FsBenchmark.prepare(args);
        if (Boolean.getBoolean("fs.preload")) {
            long p0 = System.nanoTime();
            FsMount.preload();
            System.out.printf(Locale.ROOT, "FsMount.preload() before anything is timed: %.2f s%n", seconds(p0));
        }
        Path src = work.resolve("src");
        Files.createDirectories(src);
        lib = Files.createDirectories(work.resolve("lib"));
        try (var in = org.rocksdb.RocksDB.class.getResourceAsStream("/" + ROCKSDB_LIB)) {
            Files.copy(in, lib.resolve(ROCKSDB_LIB));
        }
        long t0 = System.nanoTime();
        Process init = node("init", src.resolve("chain").toString(), String.valueOf(size / BLOCK), String.valueOf(BLOCK));
        if (init.waitFor() != 0) {
            throw new IOException("ChainNode init failed: " + new String(init.getErrorStream().readAllBytes()));
        }
        long dbBytes = du(src);
        System.out.printf(Locale.ROOT, "chain database: %d blocks of %d KiB, %d MiB on disk, written in %.1f s%n",
                size / BLOCK, BLOCK >> 10, dbBytes >> 20, seconds(t0));
        try (Zstor zstor = Zstor.open(config)) {
            t0 = System.nanoTime();
            SnapshotReport report = new Snapshotter(new ChunkStore(zstor), Snapshotter.DEFAULT_CHUNK_SIZE)
                    .create(src, OptionalLong.empty(), n -> { });
            double snapSeconds = seconds(t0);
            System.out.printf(Locale.ROOT, "snapshot create: %d files, %d MiB, %d chunks, %d uploaded, in %.1f s (%.0f MiB/s)%n",
                    report.files(), report.bytes() >> 20, report.chunks(), report.uploadedChunks(), snapSeconds,
                    (report.bytes() >> 20) / snapSeconds);
            String local = startAndProbe(src.resolve("chain"), 29960);
            System.out.println("node on the source directory (process start only): " + local);
            for (int run = 1; run <= 2; run++) {
                thin(zstor, config, report.hash(), work, cacheSize, run);
            }
            FsBenchmark.dropCaches();
            Path restored = work.resolve("restored");
            t0 = System.nanoTime();
            long fetched = new SnapshotRestorer(new ChunkStore(zstor), FsBenchmark.RESTORE_IN_FLIGHT).restore(report.hash(), restored);
            double copied = seconds(t0);
            String health = startAndProbe(restored.resolve("chain"), 29962);
            System.out.printf(Locale.ROOT, "full restore: healthy in %.2f s (restore %.2f s, %.0f MiB/s; node %s), %.1f MiB fetched%n",
                    seconds(t0), copied, (fetched >> 20) / copied, health, fetched / 1048576.0);
        }
    }

    private static void thin(Zstor zstor, ZstorConfig config, Hash256 snapshot, Path work, long cacheSize, int run)
            throws Exception {
        Path mnt = Files.createDirectories(work.resolve("mnt-" + run));
        FsBenchmark.dropCaches();
        long t0 = System.nanoTime();
        try (FsMount mount = FsMount.open(zstor, snapshot, new FsMount.Options(work.resolve("cache-" + run), cacheSize,
                Duration.ofSeconds(60), 4, Duration.ofSeconds(2)), FsMount.describeBackends(config))) {
            double opened = seconds(t0);
            mount.mount(mnt);
            double mounted = seconds(t0);
            String health = startAndProbe(mnt.resolve("chain"), 29960 + run);
            System.out.printf(Locale.ROOT, "thin run %d: healthy in %.2f s (manifest and metadata %.2f s, FUSE mount %.2f s,"
                    + " node %s), %.1f MiB fetched%n", run, seconds(t0), opened, mounted - opened, health,
                    mount.fetchedBytes() / 1048576.0);
        }
    }

    /** Starts the node on {@code dir}, waits for its health probe, stops it; returns how long that took. */
    private static String startAndProbe(Path dir, int port) throws Exception {
        long t0 = System.nanoTime();
        Process node = node("serve", dir.toString(), String.valueOf(port));
        try {
            HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(5)).build();
            while (true) {
                if (!node.isAlive()) {
                    throw new IOException("node exited with " + node.exitValue() + ": "
                            + new String(node.getErrorStream().readAllBytes()));
                }
                try {
                    HttpResponse<String> r = HTTP.send(probe, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return String.format(Locale.ROOT, "%.2f s to %s", seconds(t0), r.body().strip().split(" ", 3)[0]
                                + " " + r.body().strip().split(" ", 3)[1]);
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(10);
            }
        } finally {
            node.destroy();
            node.waitFor();
        }
    }

    private static Process node(String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-Djava.library.path=" + lib,
                "-cp", System.getProperty("java.class.path"), ChainNode.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static long du(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
