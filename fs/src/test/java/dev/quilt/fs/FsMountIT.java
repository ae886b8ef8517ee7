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
        if (mount != null) {
            mount.close();
        }
        if (mnt != null) {
            Mounts.unmount(mnt);
        }
        if (zstor != null) {
            zstor.close();
        }
        if (backends != null) {
            backends.close();
        }
    }

    private FsMount mount(long cacheSize) throws Exception {
        FsMount m = FsMount.open(zstor, snapshot, FsMount.Options.defaults(dir.resolve("cache"), cacheSize), "test");
        m.mount(mnt);
        return m;
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .map(root::relativize).sorted().toList();
        }
    }

    @Test
    void everyFileReadsBackByteIdentical() throws Exception {
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
}
