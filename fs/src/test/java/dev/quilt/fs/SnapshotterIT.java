package dev.quilt.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import dev.quilt.zstor.Zstor;
import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots into a real zstor over six zdbs. */
class SnapshotterIT {
    private static final int CHUNK = 64 << 10;

    @TempDir
    Path dir;

    private ZdbBackends backends;
    private Zstor zstor;
    private ChunkStore store;

    @BeforeEach
    void start() throws Exception {
        backends = new ZdbBackends(dir.resolve("zdbs"), 6);
        zstor = Zstor.open(backends.config());
        store = new ChunkStore(zstor);
    }

    @AfterEach
    void stop() throws Exception {
        zstor.close();
        backends.close();
    }

    @Test
    void aSnapshotRecordsTheTreeAndEveryChunkReadsBackVerified() throws Exception {
        Path src = dir.resolve("src");
        TestTrees.generate(src, CHUNK);
        SnapshotReport report = new Snapshotter(store, CHUNK).create(src, OptionalLong.of(42), n -> { });

        Manifest manifest = store.getManifest(report.hash());
        assertThat(manifest).isEqualTo(report.manifest());
        assertThat(manifest.sourceHeight()).hasValue(42);
        assertThat(manifest.entries()).extracting(Entry::path).containsExactly("", "empty", "link", "one-chunk",
                "short.txt", "sparse", "sub", "sub/deeper", "sub/deeper/big", "sub/several");
        Entry link = manifest.entries().get(2);
        assertThat(link.kind()).isEqualTo(Entry.Kind.SYMLINK);
        assertThat(link.linkTarget()).isEqualTo("sub/several");
        for (Entry e : manifest.entries()) {
            if (e.kind() == Entry.Kind.FILE) {
                assertThat(reassemble(e)).as(e.path()).isEqualTo(Files.readAllBytes(src.resolve(e.path())));
            }
        }
        Entry sparse = manifest.entries().get(5);
        assertThat(sparse.chunks()).hasSize(5);
        assertThat(sparse.chunks().subList(0, 4)).allMatch(ChunkRef::isHole);
        assertThat(report.uploadedChunks()).isEqualTo(report.chunks());
    }

    @Test
    void reSnapshottingAChangedTreeUploadsOnlyTheChangedChunks() throws Exception {
        Path src = dir.resolve("src");
        TestTrees.generate(src, CHUNK);
        Snapshotter snapshotter = new Snapshotter(store, CHUNK);
        SnapshotReport first = snapshotter.create(src, OptionalLong.empty(), n -> { });
        try (RandomAccessFile f = new RandomAccessFile(src.resolve("sub/deeper/big").toFile(), "rw")) {
            f.seek(2L * CHUNK + 5);
            f.write(new byte[] {1, 2, 3});
        }
        SnapshotReport second = snapshotter.create(src, OptionalLong.empty(), n -> { });
        assertThat(second.hash()).isNotEqualTo(first.hash());
        assertThat(second.uploadedChunks()).isEqualTo(1);
        assertThat(second.uploadedBytes()).isEqualTo(CHUNK);
        SnapshotReport third = snapshotter.create(src, OptionalLong.empty(), n -> { });
        assertThat(third.hash()).isEqualTo(second.hash());
        assertThat(third.uploadedChunks()).isZero();
    }

    @Test
    void bytesThatDoNotHashToTheChunksNameAreRefused() throws Exception {
        Hash256 claimed = Sha256.digest("the real chunk".getBytes());
        zstor.store(ChunkStore.chunkKey(claimed), new ByteArrayInputStream("another chunk".getBytes()), n -> { });
        assertThatThrownBy(() -> store.get(claimed)).isInstanceOf(CorruptChunkException.class)
                .hasMessageContaining("chunk/" + claimed.hex() + " hashes to");
    }

    @Test
    void namesResolveLocallyAndThroughZstor() throws Exception {
        Path src = dir.resolve("src");
        TestTrees.generate(src, CHUNK);
        SnapshotReport report = new Snapshotter(store, CHUNK).create(src, OptionalLong.empty(), n -> { });
        new SnapshotCatalog(dir.resolve("catalog"), store).record("chain-1", report.hash());
        assertThat(new SnapshotCatalog(dir.resolve("catalog"), store).resolve("chain-1")).hasValue(report.hash());
        // another machine: an empty local catalog, the same zstor
        assertThat(new SnapshotCatalog(dir.resolve("elsewhere"), store).resolve("chain-1")).hasValue(report.hash());
        assertThat(new SnapshotCatalog(dir.resolve("elsewhere"), store).resolve("nope")).isEmpty();
        assertThat(new SnapshotCatalog(dir.resolve("elsewhere"), store).resolve(report.hash().hex())).hasValue(report.hash());
    }

    @Test
    void aRestoreWritesTheTreeBackByteForByteWithItsHolesAndModes() throws Exception {
        Path src = dir.resolve("src");
        TestTrees.generate(src, CHUNK);
        Files.setPosixFilePermissions(src.resolve("short.txt"), java.nio.file.attribute.PosixFilePermissions.fromString("r-x--x-w-"));
        SnapshotReport report = new Snapshotter(store, CHUNK).create(src, OptionalLong.empty(), n -> { });
        Path restored = dir.resolve("restored");
        long fetched = new SnapshotRestorer(store, 3).restore(report.hash(), restored);
        assertSameTree(src, restored);
        assertThat(fetched).isEqualTo(report.uploadedBytes());
        assertThat(Files.getPosixFilePermissions(restored.resolve("short.txt")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("r-x--x-w-"));
        // The sparse file's four leading holes stay holes on disk.
        Process stat = new ProcessBuilder("stat", "-c", "%b", restored.resolve("sparse").toString()).start();
        long blocks = Long.parseLong(new String(stat.getInputStream().readAllBytes()).strip());
        assertThat(blocks * 512).as("bytes allocated").isLessThan(2L * CHUNK);
    }

    /** Same paths, kinds, sizes, bytes and symlink targets. */
    static void assertSameTree(Path expected, Path actual) throws Exception {
        java.util.List<Path> paths;
        try (var s = Files.walk(expected)) {
            paths = s.map(expected::relativize).sorted().toList();
        }
        try (var s = Files.walk(actual)) {
            assertThat(s.map(actual::relativize).sorted().toList()).isEqualTo(paths);
        }
        for (Path p : paths) {
            Path e = expected.resolve(p);
            Path a = actual.resolve(p);
            if (Files.isSymbolicLink(e)) {
                assertThat(Files.readSymbolicLink(a)).as(p.toString()).isEqualTo(Files.readSymbolicLink(e));
            } else if (Files.isRegularFile(e)) {
                assertThat(Files.readAllBytes(a)).as(p.toString()).isEqualTo(Files.readAllBytes(e));
            } else {
                assertThat(Files.isDirectory(a)).as(p.toString()).isTrue();
            }
        }
    }

    private byte[] reassemble(Entry e) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (ChunkRef c : e.chunks()) {
            out.write(c.isHole() ? new byte[c.length()] : store.get(c.hash()));
        }
        return out.toByteArray();
    }
}
