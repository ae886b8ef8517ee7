package dev.quilt.bench.fs;

import dev.quilt.common.crypto.Hash256;
import dev.quilt.fs.ChunkStore;
import dev.quilt.fs.FsMount;
import dev.quilt.fs.SnapshotReport;
import dev.quilt.fs.SnapshotRestorer;
import dev.quilt.fs.Snapshotter;
import dev.quilt.zdb.client.ZdbClient;
import dev.quilt.zdb.client.ZdbException;
import dev.quilt.zstor.Zstor;
import dev.quilt.zstor.config.ZstorConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * The filesystem against local disk, over six zdb servers (separate processes, started by
 * {@code bench/scripts/fs-bench.sh}), k = 4, m = 2:
 *
 * <ul>
 *   <li>snapshot: a directory of incompressible files cut into 1 MiB chunks and stored;
 *   <li>sequential read MB/s of every file, cold (fresh cache, page cache dropped) and warm (again),
 *       through the mount and from the source directory on local disk;
 *   <li>random 4 KiB reads, latency median and p99, cold and warm, through the mount and on local disk;
 *   <li>time to first read: from opening the snapshot (manifest fetch, metadata store filled, FUSE mount)
 *       to the first 4 KiB read in the middle of the data, and the bytes fetched, against restoring the
 *       whole directory from zstor first (every chunk fetched and written, 16 in flight), as a node without
 *       thin provisioning must.
 * </ul>
 *
 * "Cold" drops the kernel page cache ({@code echo 3 > /proc/sys/vm/drop_caches}, so run as root): the
 * zdb servers' files are then cold too, as remote storage would be.
 */
public final class FsBenchmark {
    private static final int K = 4;
    static final int N = 6;
    private static final String KEY = "6d5b8f2e0a1c3e5f7a9b1d3f5e7c9a0b2d4f6e8a0c2e4a6c8e0a2c4e6a8c0e2a";
    private static final long FILE = 64L << 20;
    private static final int RANDOM_READS = 1000;
    /** The peer restores as a restore tool would: many chunks in flight, as many as the mount prefetches and more. */
    static final int RESTORE_IN_FLIGHT = 16;

    private FsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 + N) {
            System.err.println("usage: FsBenchmark SIZE_MIB CACHE_MIB WORK_DIR PORT1 .. PORT6");
            System.exit(2);
        }
        long size = Long.parseLong(args[0]) << 20;
        long cacheSize = Long.parseLong(args[1]) << 20;
        Path work = Path.of(args[2]);
        ZstorConfig config = prepare(args);
        try (Zstor zstor = Zstor.open(config)) {
            Path src = work.resolve("src");
            List<Path> files = generate(src, size);
            long t0 = System.nanoTime();
            SnapshotReport report = new Snapshotter(new ChunkStore(zstor), Snapshotter.DEFAULT_CHUNK_SIZE)
                    .create(src, OptionalLong.empty(), n -> { });
            double snapSeconds = seconds(t0);
            System.out.printf(Locale.ROOT, "snapshot: %d files, %d MiB, %d chunks in %.1f s (%.0f MiB/s)%n", report.files(),
                    report.bytes() >> 20, report.chunks(), snapSeconds, (report.bytes() >> 20) / snapSeconds);
            List<Path> rel = files.stream().map(src::relativize).toList();
            long[] offsets = randomOffsets(size);

            // time to first read, against a full restore
            Path mnt = Files.createDirectories(work.resolve("mnt"));
            dropCaches();
            t0 = System.nanoTime();
            try (FsMount mount = open(zstor, report.hash(), work.resolve("cache-first"), cacheSize, config)) {
                double opened = seconds(t0);
                mount.mount(mnt);
                double mounted = seconds(t0);
                try (FileChannel ch = FileChannel.open(mnt.resolve(rel.get(rel.size() / 2)))) {
                    ch.read(ByteBuffer.allocate(4096), FILE / 2);
                }
                double first = seconds(t0);
                System.out.printf(Locale.ROOT, "time to first read: %.2f s (manifest and metadata %.2f s, FUSE mount %.2f s,"
                        + " read %.2f s), %.1f MiB fetched%n", first, opened, mounted - opened, first - mounted,
                        mount.fetchedBytes() / 1048576.0);
            }
            dropCaches();
            t0 = System.nanoTime();
            long restored = new SnapshotRestorer(new ChunkStore(zstor), RESTORE_IN_FLIGHT).restore(report.hash(),
                    work.resolve("restored"));
            System.out.printf(Locale.ROOT, "full restore: %.2f s, %d MiB fetched and written%n", seconds(t0), restored >> 20);
            deleteTree(work.resolve("restored"));

            // sequential
            dropCaches();
            System.out.printf(Locale.ROOT, "sequential local cold: %.0f MB/s%n", sequential(src, rel));
            System.out.printf(Locale.ROOT, "sequential local warm: %.0f MB/s%n", sequential(src, rel));
            try (FsMount mount = open(zstor, report.hash(), work.resolve("cache-seq"), cacheSize, config)) {
                mount.mount(mnt);
                dropCaches();
                System.out.printf(Locale.ROOT, "sequential mount cold: %.0f MB/s (%d MiB fetched; %s)%n", sequential(mnt, rel),
                        mount.fetchedBytes() >> 20, counters(mount));
                long before = mount.fetchedBytes();
                System.out.printf(Locale.ROOT, "sequential mount warm: %.0f MB/s (%d MiB fetched)%n", sequential(mnt, rel),
                        (mount.fetchedBytes() - before) >> 20);
            }

            // random 4 KiB
            dropCaches();
            System.out.println("random 4k local cold: " + random(src, rel, offsets));
            System.out.println("random 4k local warm: " + random(src, rel, offsets));
            try (FsMount mount = open(zstor, report.hash(), work.resolve("cache-rand"), cacheSize, config)) {
                mount.mount(mnt);
                dropCaches();
                System.out.println("random 4k mount cold: " + random(mnt, rel, offsets));
                System.out.println("random 4k mount warm: " + random(mnt, rel, offsets));
            }
        }
    }

    /** The zstor config over the six zdb ports given after SIZE, CACHE and WORK_DIR, its metadata namespaces made. */
    static ZstorConfig prepare(String[] args) throws IOException {
        int[] ports = new int[N];
        for (int i = 0; i < N; i++) {
            ports[i] = Integer.parseInt(args[3 + i]);
        }
        for (int i = 0; i < 3; i++) {
            try (ZdbClient c = ZdbClient.builder("127.0.0.1", ports[i]).build()) {
                c.nsnew("meta");
            } catch (ZdbException e) {
                // already there
            }
        }
        return ZstorConfig.parse(config(ports));
    }

    /** The cache's hit, miss and fetch counters, from the mount's metrics. */
    private static String counters(FsMount mount) {
        return mount.metrics().render().lines()
                .filter(l -> l.startsWith("quilt_fs_cache_") || l.startsWith("quilt_fs_fetches_total"))
                .map(l -> l.replace("quilt_fs_", "").replace("_total", "")).collect(java.util.stream.Collectors.joining(", "));
    }

    private static FsMount open(Zstor zstor, Hash256 snapshot, Path cache, long cacheSize, ZstorConfig config)
            throws IOException {
        return FsMount.open(zstor, snapshot, new FsMount.Options(cache, cacheSize, Duration.ofSeconds(60),
                Integer.getInteger("fs.prefetch", 4),
                Duration.ofSeconds(2)), FsMount.describeBackends(config));
    }

    private static List<Path> generate(Path src, long size) throws IOException {
        Files.createDirectories(src.resolve("lmdb"));
        List<Path> files = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(42);
        byte[] buffer = new byte[1 << 20];
        for (long done = 0, i = 0; done < size; done += FILE, i++) {
            Path f = src.resolve("lmdb/part-" + i + ".mdb");
            try (OutputStream out = Files.newOutputStream(f)) {
                for (long w = 0; w < FILE; w += buffer.length) {
                    random.nextBytes(buffer);
                    out.write(buffer);
                }
            }
            files.add(f);
        }
        return files;
    }

    private static long[] randomOffsets(long size) {
        SplittableRandom random = new SplittableRandom(7);
        long[] offsets = new long[RANDOM_READS];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = random.nextLong(size / 4096) * 4096;
        }
        return offsets;
    }

    /** MB/s (10^6) reading every file once in 1 MiB reads. */
    private static double sequential(Path root, List<Path> rel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        long bytes = 0;
        long t0 = System.nanoTime();
        for (Path r : rel) {
            try (FileChannel ch = FileChannel.open(root.resolve(r))) {
                int n;
                while ((n = ch.read(buffer.clear())) > 0) {
                    bytes += n;
                }
            }
        }
        return bytes / 1e6 / seconds(t0);
    }

    /** Latency of 4 KiB reads at the given offsets across the files: median and p99, in microseconds. */
    private static String random(Path root, List<Path> rel, long[] offsets) throws IOException {
        List<FileChannel> channels = new ArrayList<>();
        for (Path r : rel) {
            channels.add(FileChannel.open(root.resolve(r)));
        }
        long[] micros = new long[offsets.length];
        ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
        try {
            for (int i = 0; i < offsets.length; i++) {
                FileChannel ch = channels.get((int) (offsets[i] / FILE));
                long t0 = System.nanoTime();
                ch.read(buffer.clear(), offsets[i] % FILE);
                micros[i] = (System.nanoTime() - t0) / 1000;
            }
        } finally {
            for (FileChannel ch : channels) {
                ch.close();
            }
        }
        Arrays.sort(micros);
        return String.format(Locale.ROOT, "median %d us, p99 %d us (%d reads)", micros[micros.length / 2],
                micros[micros.length * 99 / 100], micros.length);
    }

    static void dropCaches() throws IOException, InterruptedException {
        new ProcessBuilder("sh", "-c", "sync; echo 3 > /proc/sys/vm/drop_caches").inheritIO().start().waitFor();
    }

    private static void deleteTree(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String config(int[] ports) {
        StringBuilder toml = new StringBuilder();
        toml.append("minimal_shards = ").append(K).append("\nexpected_shards = ").append(N)
                .append("\nredundant_nodes = 2\n[encryption]\nalgorithm = \"AES\"\nkey = \"").append(KEY)
                .append("\"\n[meta]\ntype = \"zdb\"\n[meta.config]\nprefix = \"fsbench\"\n");
        for (int i = 0; i < 3; i++) {
            toml.append("[[meta.config.backends]]\naddress = \"127.0.0.1:").append(ports[i]).append("\"\nnamespace = \"meta\"\n");
        }
        toml.append("[[groups]]\n");
        for (int port : ports) {
            toml.append("[[groups.backends]]\naddress = \"127.0.0.1:").append(port).append("\"\n");
        }
        return toml.toString();
    }
}
