package dev.quilt.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.common.crypto.Hash256;
import dev.quilt.zstor.Zstor;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real FUSE mounts of snapshots in a real zstor over six zdbs, in this JVM. */
class FsMountIT {
    private static final int CHUNK = 64 << 10;

    @TempDir
    Path dir;

    private ZdbBackends backends;
    private Zstor zstor;
    private Path src;
    private Path mnt;
    private Hash256 snapshot;
    private FsMount mount;

    @BeforeEach
    void start() throws Exception {
        Mounts.assumeFuse();
        backends = new ZdbBackends(dir.resolve("zdbs"), 6);
        zstor = Zstor.open(backends.config());
        src = dir.resolve("src");
        TestTrees.generate(src, CHUNK);
        snapshot = new Snapshotter(new ChunkStore(zstor), CHUNK).create(src, OptionalLong.empty(), n -> { }).hash();
        mnt = Files.createDirectories(dir.resolve("mnt"));
    }

    @AfterEach
    void stop() throws Exception {
        Mounts.tearDown(mount, mnt, zstor, backends);
    }

    private FsMount mount(long cacheSize) throws Exception {
        return mount(FsMount.Options.defaults(dir.resolve("cache"), cacheSize));
    }

    private FsMount mount(FsMount.Options options) throws Exception {
        FsMount m = FsMount.open(zstor, snapshot, options, "test");
        m.mount(mnt);
        return m;
    }

    private void assertIdentical() throws Exception {
        for (Path rel : files(src)) {
            assertThat(Files.readAllBytes(mnt.resolve(rel))).as(rel.toString()).isEqualTo(Files.readAllBytes(src.resolve(rel)));
        }
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .map(root::relativize).sorted().toList();
        }
    }

    @Test
    void everyFileReadsBackByteIdentical() throws Exception {
        // Loading ahead mounts nothing, and a mount after it works as one without it.
        String mounts = Files.readString(Path.of("/proc/self/mounts"));
        FsMount.preload();
        assertThat(Files.readString(Path.of("/proc/self/mounts"))).isEqualTo(mounts);
        mount = mount(64L << 20);
        assertThat(files(mnt)).isEqualTo(files(src));
        for (Path rel : files(src)) {
            assertThat(Files.readAllBytes(mnt.resolve(rel))).as(rel.toString()).isEqualTo(Files.readAllBytes(src.resolve(rel)));
        }
        assertThat(Files.readSymbolicLink(mnt.resolve("link"))).isEqualTo(Path.of("sub/several"));
        assertThat(Files.isDirectory(mnt.resolve("sub/deeper"))).isTrue();
        // the sparse file's four leading holes were never fetched: only stored chunks were
        assertThat(mount.fetchedBytes()).isLessThanOrEqualTo(sizeOfStoredChunks());
    }

    private long sizeOfStoredChunks() throws Exception {
        long total = 0;
        for (Path rel : files(src)) {
            byte[] b = Files.readAllBytes(src.resolve(rel));
            for (int off = 0; off < b.length; off += CHUNK) {
                byte[] c = java.util.Arrays.copyOfRange(b, off, Math.min(b.length, off + CHUNK));
                if (!ChunkStore.isZero(c, c.length)) {
                    total += c.length;
                }
            }
        }
        return total;
    }

    @Test
    void writesSurviveUnmountAndRemount() throws Exception {
        mount = mount(64L << 20);
        Path big = mnt.resolve("sub/deeper/big");
        byte[] expected = Files.readAllBytes(src.resolve("sub/deeper/big"));
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.seek(CHUNK - 3); // across a chunk boundary
            f.write(new byte[] {9, 9, 9, 9, 9, 9});
        }
        System.arraycopy(new byte[] {9, 9, 9, 9, 9, 9}, 0, expected, CHUNK - 3, 6);
        Files.writeString(mnt.resolve("new.txt"), "hello");
        Files.createDirectories(mnt.resolve("made/here"));
        Files.move(mnt.resolve("short.txt"), mnt.resolve("made/here/moved.txt"));
        Files.delete(mnt.resolve("one-chunk"));
        mount.close();
        mount = null;
        assertThat(Mounts.mounted(mnt)).isFalse();

        mount = mount(64L << 20);
        assertThat(Files.readAllBytes(big)).isEqualTo(expected);
        assertThat(Files.readString(mnt.resolve("new.txt"))).isEqualTo("hello");
        assertThat(Files.readAllBytes(mnt.resolve("made/here/moved.txt"))).isEqualTo(Files.readAllBytes(src.resolve("short.txt")));
        assertThat(mnt.resolve("short.txt")).doesNotExist();
        assertThat(mnt.resolve("one-chunk")).doesNotExist();
    }

    @Test
    void readsKeepWorkingWithTwoBackendsDown() throws Exception {
        backends.stop(4);
        backends.stop(5);
        mount = mount(64L << 20);
        assertIdentical();
    }

    @Test
    void aCacheSmallerThanTheDataStillServesEveryFile() throws Exception {
        long total = sizeOfStoredChunks();
        long cacheSize = 4L * CHUNK;
        assertThat(cacheSize).isLessThan(total / 2);
        mount = mount(cacheSize);
        assertIdentical();
        assertIdentical(); // twice: the second pass fetches again what was evicted
        assertThat(mount.cachedBytes()).isLessThanOrEqualTo(cacheSize);
        assertThat(mount.metrics().render()).containsPattern("quilt_fs_evictions_total [1-9]");
    }

    @Test
    void aStalledFetchBlocksOnlyTheReadsOfItsChunkAndEndsInEio() throws Exception {
        mount = mount(new FsMount.Options(dir.resolve("cache"), 64L << 20, java.time.Duration.ofSeconds(3), 0,
                java.time.Duration.ofSeconds(2)));
        byte[] cached = Files.readAllBytes(mnt.resolve("one-chunk"));
        backends.stallAll();
        java.util.concurrent.CompletableFuture<byte[]> stalled = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(mnt.resolve("sub/deeper/big"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // while that read waits on zstor, the tree and the cached chunks answer
        assertThat(Files.readAllBytes(mnt.resolve("one-chunk"))).isEqualTo(cached);
        assertThat(files(mnt)).isEqualTo(files(src));
        assertThat(Files.getFileStore(mnt).getTotalSpace()).isPositive();
        assertThat(stalled).isNotDone();
        assertThat(stalled).failsWithin(java.time.Duration.ofMinutes(1)).withThrowableThat()
                .havingRootCause().withMessageContaining("Input/output error");
        backends.resume();
        assertThat(Files.readAllBytes(mnt.resolve("sub/deeper/big"))).isEqualTo(Files.readAllBytes(src.resolve("sub/deeper/big")));
    }

    @Test
    void renameTruncateSparseStatfsAndMmapBehaveAsADatabaseExpects() throws Exception {
        mount = mount(64L << 20);
        // rename over an existing file replaces it atomically
        Files.writeString(mnt.resolve("CURRENT.tmp"), "MANIFEST-2");
        Files.move(mnt.resolve("CURRENT.tmp"), mnt.resolve("short.txt"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertThat(Files.readString(mnt.resolve("short.txt"))).isEqualTo("MANIFEST-2");
        assertThat(mnt.resolve("CURRENT.tmp")).doesNotExist();
        // truncate inside a chunk, then grow: the cut bytes come back as zeros
        Path big = mnt.resolve("sub/deeper/big");
        byte[] before = Files.readAllBytes(big);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(CHUNK + 10);
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {7}), 3L * CHUNK);
        }
        byte[] after = Files.readAllBytes(big);
        assertThat(after).hasSize(3 * CHUNK + 1);
        assertThat(java.util.Arrays.copyOf(after, CHUNK + 10)).isEqualTo(java.util.Arrays.copyOf(before, CHUNK + 10));
        assertThat(java.util.Arrays.copyOfRange(after, CHUNK + 10, 3 * CHUNK)).containsOnly(0);
        assertThat(after[3 * CHUNK]).isEqualTo((byte) 7);
        // a sparse write far out: the gap reads as zeros and costs nothing
        Path sparse = mnt.resolve("sparse2");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(sparse, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap("end".getBytes()), 1L << 30);
        }
        assertThat(Files.size(sparse)).isEqualTo((1L << 30) + 3);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(sparse)) {
            java.nio.ByteBuffer hole = java.nio.ByteBuffer.allocate(4096);
            ch.read(hole, 512L << 20);
            assertThat(hole.array()).containsOnly(0);
        }
        assertThat(mount.dirtyBytes()).isLessThan(4L * CHUNK);
        // statfs
        java.nio.file.FileStore store = Files.getFileStore(mnt);
        assertThat(store.getUsableSpace()).isPositive();
        assertThat(store.getTotalSpace()).isGreaterThanOrEqualTo(store.getUsableSpace());
        // mmap: a shared writable mapping writes through to the file
        Path mapped = mnt.resolve("sub/several");
        byte[] expected = Files.readAllBytes(mapped);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(mapped, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.MappedByteBuffer map = ch.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0, ch.size());
            assertThat(map.get(CHUNK + 1)).isEqualTo(expected[CHUNK + 1]);
            map.put(CHUNK + 1, (byte) 42);
            map.force();
        }
        expected[CHUNK + 1] = 42;
        mount.close();
        mount = mount(64L << 20);
        assertThat(Files.readAllBytes(mapped)).isEqualTo(expected);
        assertThat(Files.readAllBytes(big)).isEqualTo(after);
    }

    @Test
    void sealWritesASnapshotThatMountsAsTheTreeWas() throws Exception {
        mount = mount(64L << 20);
        Files.writeString(mnt.resolve("new.txt"), "sealed");
        try (RandomAccessFile f = new RandomAccessFile(mnt.resolve("sub/several").toFile(), "rw")) {
            f.seek(10);
            f.write(new byte[] {1, 2, 3});
        }
        Hash256 sealed = mount.seal(OptionalLong.of(99));
        assertThat(mount.dirtyBytes()).isZero();
        Manifest manifest = new ChunkStore(zstor).getManifest(sealed);
        assertThat(manifest.sourceHeight()).hasValue(99);
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        for (Path rel : files(mnt)) {
            Files.createDirectories(copy.resolve(rel).getParent());
            Files.write(copy.resolve(rel), Files.readAllBytes(mnt.resolve(rel)));
        }
        mount.close();
        mount = null;
        Mounts.unmount(mnt);
        snapshot = sealed;
        mount = FsMount.open(zstor, sealed, FsMount.Options.defaults(dir.resolve("cache2"), 64L << 20), "test");
        mount.mount(mnt);
        for (Path rel : files(copy)) {
            assertThat(Files.readAllBytes(mnt.resolve(rel))).as(rel.toString()).isEqualTo(Files.readAllBytes(copy.resolve(rel)));
        }
        assertThat(files(mnt)).isEqualTo(files(copy));
    }
}
