package dev.quilt.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.common.crypto.Hash256;
import dev.quilt.zstor.Zstor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * A RocksDB database on the mount (a chain's database is what the filesystem is for): random writes and
 * deletes, flushes and compactions, then close, reopen (also after an unmount and a remount) and every key
 * checked, with RocksDB's own checksum verification on.
 */
class RocksDbOnMountIT {
    @TempDir
    Path dir;

    private ZdbBackends backends;
    private Zstor zstor;
    private Path mnt;
    private FsMount mount;
    private Hash256 snapshot;

    @BeforeEach
    void start() throws Exception {
        Mounts.assumeFuse();
        RocksDB.loadLibrary();
        backends = new ZdbBackends(dir.resolve("zdbs"), 6);
        zstor = Zstor.open(backends.config());
        Path src = Files.createDirectories(dir.resolve("src/db"));
        snapshot = new Snapshotter(new ChunkStore(zstor), 64 << 10).create(src.getParent(), OptionalLong.empty(), n -> { }).hash();
        mnt = Files.createDirectories(dir.resolve("mnt"));
        // a small cache: the database outgrows it, so its files are flushed, evicted and fetched back
        mount = FsMount.open(zstor, snapshot, new FsMount.Options(dir.resolve("cache"), 2L << 20,
                java.time.Duration.ofSeconds(30), 4, java.time.Duration.ofMillis(200)), "test");
        mount.mount(mnt);
    }

    @AfterEach
    void stop() throws Exception {
        Mounts.tearDown(mount, mnt, zstor, backends);
    }

    @Test
    void aRocksDbDatabaseSurvivesRandomWritesReopenAndRemount() throws Exception {
        Path db = mnt.resolve("db");
        Map<String, String> expected = new HashMap<>();
        Random random = new Random(7);
        try (Options options = new Options().setCreateIfMissing(true).setWriteBufferSize(256 << 10)
                .setParanoidChecks(true); WriteOptions sync = new WriteOptions().setSync(true);
                RocksDB rocks = RocksDB.open(options, db.toString())) {
            for (int i = 0; i < 20_000; i++) {
                String key = "k" + random.nextInt(8_000);
                if (random.nextInt(10) == 0) {
                    rocks.delete(sync, key.getBytes(StandardCharsets.UTF_8));
                    expected.remove(key);
                } else {
                    byte[] value = new byte[random.nextInt(400)];
                    random.nextBytes(value);
                    String v = java.util.HexFormat.of().formatHex(value);
                    rocks.put(i % 100 == 0 ? sync : new WriteOptions(), key.getBytes(StandardCharsets.UTF_8),
                            v.getBytes(StandardCharsets.UTF_8));
                    expected.put(key, v);
                }
                if (i % 5_000 == 4_999) {
                    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                        rocks.flush(flush);
                    }
                }
            }
            rocks.compactRange();
        }
        verify(db, expected);
        mount.close();
        mount = null;
        Mounts.unmount(mnt);
        mount = FsMount.open(zstor, snapshot, FsMount.Options.defaults(dir.resolve("cache"), 2L << 20), "test");
        mount.mount(mnt);
        verify(db, expected);
    }

    private static void verify(Path db, Map<String, String> expected) throws Exception {
        try (Options options = new Options().setParanoidChecks(true); RocksDB rocks = RocksDB.open(options, db.toString())) {
            rocks.verifyChecksum();
            Map<String, String> actual = new HashMap<>();
            try (RocksIterator it = rocks.newIterator()) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    actual.put(new String(it.key(), StandardCharsets.UTF_8), new String(it.value(), StandardCharsets.UTF_8));
                }
            }
            assertThat(actual).isEqualTo(expected);
        }
    }
}
