package dev.quilt.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.common.crypto.Hash256;
import dev.quilt.zstor.ObjectInfo;
import dev.quilt.zstor.ObjectNotFoundException;
import dev.quilt.zstor.Zstor;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunk garbage collection and its leases, on a real zstor over six zdbs. */
class ChunkGcIT {
    private static final int CHUNK = 64 << 10;

    @TempDir
    Path dir;

    private ZdbBackends backends;
    private Zstor zstor;
    private ChunkStore store;
    private SnapshotCatalog catalog;

    @BeforeEach
    void start() throws Exception {
        backends = new ZdbBackends(dir.resolve("zdbs"), 6);
        zstor = Zstor.open(backends.config());
        store = new ChunkStore(zstor);
        catalog = new SnapshotCatalog(dir.resolve("catalog"), store);
    }

    @AfterEach
    void stop() throws Exception {
        zstor.close();
        backends.close();
    }

    @Test
    void removingASnapshotAndCollectingDeletesOnlyTheChunksNoOtherSnapshotReferences() throws Exception {
        Path src = dir.resolve("src");
        TestTrees.generate(src, CHUNK);
        Snapshotter snapshotter = new Snapshotter(store, CHUNK);
        SnapshotReport first = snapshotter.create(src, OptionalLong.empty(), n -> { });
        catalog.record("first", first.hash());
        try (RandomAccessFile f = new RandomAccessFile(src.resolve("sub/deeper/big").toFile(), "rw")) {
            f.seek(2L * CHUNK + 5);
            f.write(new byte[] {1, 2, 3});
        }
        SnapshotReport second = snapshotter.create(src, OptionalLong.empty(), n -> { });
        catalog.record("second", second.hash());
        Set<Hash256> onlyFirst = chunks(first.manifest());
        onlyFirst.removeAll(chunks(second.manifest()));
        assertThat(onlyFirst).hasSize(1);

        ChunkGc.Report nothing = new ChunkGc(store).collect(false);
        assertThat(nothing.deletedChunks()).isZero();
        assertThat(nothing.deletedManifests()).isZero();
        assertThat(nothing.snapshots()).isEqualTo(2);

        assertThat(catalog.remove("first")).hasValue(first.hash());
        assertThat(catalog.resolve("first")).isEmpty();
        ChunkGc.Report dry = new ChunkGc(store).collect(true);
        assertThat(dry.deletedChunks()).isEqualTo(1);
        assertThat(store.contains(onlyFirst.iterator().next())).as("a dry run deletes nothing").isTrue();

        ChunkGc.Report report = new ChunkGc(store).collect(false);
        assertThat(report.snapshots()).isEqualTo(1);
        assertThat(report.deletedChunks()).isEqualTo(1);
        assertThat(report.deletedBytes()).isEqualTo(CHUNK);
        assertThat(report.deletedManifests()).isEqualTo(1);
        assertThat(report.keptChunks()).isEqualTo(chunks(second.manifest()).size());
        assertThat(store.contains(onlyFirst.iterator().next())).isFalse();
        assertThatThrownBy(() -> store.getManifest(first.hash())).isInstanceOf(ObjectNotFoundException.class);
        // The snapshot still named restores whole.
        Path restored = dir.resolve("restored");
        new SnapshotRestorer(store, 4).restore(second.hash(), restored);
        SnapshotterIT.assertSameTree(src, restored);
        assertThat(new ChunkGc(store).collect(false).deletedChunks()).isZero();
    }

    @Test
    void aLiveWriterLeaseStopsACollectionAndALapsedOneDoesNot() throws Exception {
        Path src = dir.resolve("src");
        TestTrees.generate(src, CHUNK);
        SnapshotReport report;
        try (WriteLease lease = WriteLease.writer(store, Duration.ZERO)) {
            // A snapshot being created: its chunks are stored, its name not yet.
            report = new Snapshotter(store, CHUNK).create(src, OptionalLong.empty(), n -> { });
            assertThatThrownBy(() -> new ChunkGc(store).collect(false)).isInstanceOf(ChunkGc.WritersActiveException.class)
                    .hasMessageContaining("1 writer lease(s) live").hasMessageContaining("nothing deleted");
            assertThat(keys("lease/gc")).as("the refused collection released its lease").isEmpty();
            catalog.record("made", report.hash());
        }
        assertThat(new ChunkGc(store).collect(false).deletedChunks()).isZero();
        assertThat(keys(WriteLease.WRITER_PREFIX)).isEmpty();

        // A writer whose process died: its lease was last renewed longer than the TTL ago.
        Clock past = Clock.offset(Clock.systemUTC(), WriteLease.TTL.multipliedBy(2).negated());
        WriteLease lapsed = WriteLease.writer(store, Duration.ZERO, past);
        try {
            catalog.remove("made");
            ChunkGc.Report swept = new ChunkGc(store).collect(false);
            assertThat(swept.deletedChunks()).isEqualTo(chunks(report.manifest()).size());
            assertThat(keys(WriteLease.WRITER_PREFIX)).as("the lapsed lease is deleted").isEmpty();
        } finally {
            lapsed.close();
        }
    }

    @Test
    void aWriterWaitsForARunningCollection() throws Exception {
        try (WriteLease gc = WriteLease.gc(store, Clock.systemUTC())) {
            assertThatThrownBy(() -> WriteLease.writer(store, Duration.ZERO)).isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("a chunk garbage collection holds lease/gc");
            assertThat(keys(WriteLease.WRITER_PREFIX)).as("the writer that gave up took its lease back").isEmpty();
        }
        try (WriteLease writer = WriteLease.writer(store, Duration.ZERO)) {
            assertThat(keys(WriteLease.WRITER_PREFIX)).containsExactly(writer.key());
        }
    }

    private List<String> keys(String prefix) throws Exception {
        return zstor.list().stream().map(ObjectInfo::key).filter(k -> k.startsWith(prefix)).toList();
    }

    private static Set<Hash256> chunks(Manifest manifest) {
        Set<Hash256> set = new HashSet<>();
        manifest.entries().forEach(e -> e.chunks().stream().filter(c -> !c.isHole()).forEach(c -> set.add(c.hash())));
        return set;
    }
}
