package dev.quilt.fs;

import dev.quilt.common.crypto.Hash256;
import dev.quilt.zstor.ObjectInfo;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes from zstor the chunks and manifests no snapshot name references any more. Mark: every
 * {@code snapshot/<name>} record in zstor (the catalog every machine sharing the store sees), its manifest
 * and that manifest's chunks. Sweep: every other {@code chunk/} and {@code manifest/} object.
 *
 * <p>Safe against writers through {@link WriteLease}: the collection takes {@code lease/gc} first and refuses
 * to run while any writer's lease is live; a writer that starts meanwhile waits for the collection to end.
 * So a snapshot being created, whose chunks are stored (or found already stored) before its name is, never
 * loses a chunk to a sweep. A manifest that cannot be read stops the collection: what it references is
 * unknown.
 */
public final class ChunkGc {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkGc.class);

    /**
     * What a collection found and did.
     *
     * @param snapshots names marked
     * @param keptChunks chunks some snapshot references
     * @param deletedChunks chunks swept (or, in a dry run, that would be)
     * @param deletedBytes their plaintext bytes
     * @param deletedManifests manifests no name references, swept
     */
    public record Report(int snapshots, long keptChunks, long deletedChunks, long deletedBytes, long deletedManifests) {
    }

    /** Thrown when a writer holds a lease, so a collection now could delete what it is about to reference. */
    public static final class WritersActiveException extends IOException {
        WritersActiveException(String message) {
            super(message);
        }
    }

    private final ChunkStore store;
    private final Clock clock;

    public ChunkGc(ChunkStore store) {
        this(store, Clock.systemUTC());
    }

    ChunkGc(ChunkStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Marks and sweeps.
     *
     * @param dryRun count what would be deleted, delete nothing
     * @throws WritersActiveException when a snapshot is being created or a mount is open
     */
    public Report collect(boolean dryRun) throws IOException {
        try (WriteLease lease = WriteLease.gc(store, clock)) {
            List<ObjectInfo> objects = store.list();
            List<String> writers = new ArrayList<>();
            for (ObjectInfo o : objects) {
                if (o.key().startsWith(WriteLease.WRITER_PREFIX)) {
                    if (WriteLease.expiry(store, o.key()) > clock.millis()) {
                        writers.add(o.key().substring(WriteLease.WRITER_PREFIX.length()));
                    } else if (!dryRun) {
                        store.deleteRecord(o.key());
                        LOG.info("event=fs.gc.lapsed_lease key={}", o.key());
                    }
                }
            }
            if (!writers.isEmpty()) {
                throw new WritersActiveException(writers.size() + " writer lease(s) live (a snapshot being created or a"
                        + " mount open: " + String.join(", ", writers) + "); nothing deleted, try again when they end");
            }
            Set<Hash256> manifests = new HashSet<>();
            Set<Hash256> chunks = new HashSet<>();
            int names = 0;
            for (ObjectInfo o : objects) {
                if (o.key().startsWith(SnapshotCatalog.RECORD_PREFIX)) {
                    Hash256 manifest = SnapshotCatalog.parseRecord(o.key(), store.getRecord(o.key()));
                    names++;
                    if (manifests.add(manifest)) {
                        for (Entry e : store.getManifest(manifest).entries()) {
                            for (ChunkRef c : e.chunks()) {
                                if (!c.isHole()) {
                                    chunks.add(c.hash());
                                }
                            }
                        }
                    }
                }
            }
            long deletedChunks = 0;
            long deletedBytes = 0;
            long deletedManifests = 0;
            for (ObjectInfo o : objects) {
                boolean chunk = o.key().startsWith(ChunkStore.CHUNK_PREFIX);
                boolean manifest = o.key().startsWith(ChunkStore.MANIFEST_PREFIX);
                if (!chunk && !manifest) {
                    continue;
                }
                Hash256 hash = Hash256.fromHex(o.key().substring(o.key().indexOf('/') + 1));
                if (chunk ? chunks.contains(hash) : manifests.contains(hash)) {
                    continue;
                }
                if (!dryRun) {
                    store.deleteRecord(o.key());
                }
                if (chunk) {
                    deletedChunks++;
                    deletedBytes += o.size();
                } else {
                    deletedManifests++;
                }
            }
            Report report = new Report(names, chunks.size(), deletedChunks, deletedBytes, deletedManifests);
            LOG.info("event=fs.gc dry_run={} snapshots={} kept_chunks={} deleted_chunks={} deleted_bytes={} deleted_manifests={}",
                    dryRun, names, report.keptChunks(), deletedChunks, deletedBytes, deletedManifests);
            return report;
        }
    }
}
