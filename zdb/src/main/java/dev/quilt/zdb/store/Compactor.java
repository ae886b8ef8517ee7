package dev.quilt.zdb.store;

import dev.quilt.common.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/*
 * Compaction of one namespace: rewrite closed data files keeping only the current version of live keys.
 *
 * Clean vs dirty. The active pair (highest file id) is never touched: it is still appended to. Every
 * closed pair is immutable, so it can be copied without coordination. A closed file is dirty when it holds
 * a record that is not live (a superseded version, a tombstone, or a record of a deleted key); a file whose
 * every record is live is skipped.
 *
 * Choosing the work. All dirty closed files are compacted in one pass. Dropping tombstones is safe only
 * because of that: an older version of a deleted key always sits in the same or an earlier file than its
 * tombstone, both are closed, so both are dirty and both go. A closed data file that is offloaded (missing)
 * aborts the whole compaction for the same reason.
 *
 * Steps.
 *  1. Owner thread: snapshot the live positions (file id, offset) per closed file, and the epoch.
 *  2. Calling thread: for each dirty file N, stream d<N> and copy live records into d<N>.compact with a new
 *     generation and no parent pointer (older versions are gone), appending matching entries to
 *     i<N>.compact; fsync both.
 *  3. Owner thread: give up (delete the .compact files) if the namespace was flushed, reloaded or deleted
 *     meanwhile (epoch changed). Otherwise raise the sequential-id floor in the descriptor (the highest ids
 *     may lose all their records), then per file in ascending id order: rename d<N>.compact over d<N>,
 *     then i<N>.compact over i<N>, reopen them, and point each copied key that is still live at its old
 *     position to its new one. Keys written or deleted during step 2 have newer records in later files,
 *     so the copies left behind are harmless garbage for the next compaction.
 *
 * Crash safety. Renames are atomic. A crash between the data and index renames leaves an index whose
 * generation does not match its data file: recovery rebuilds it. Ascending order keeps the tombstone
 * argument true at every crash point: compacted files are a prefix, so a tombstone is only gone once every
 * file that could hold an older version was compacted. Leftover .compact files are deleted at load.
 *
 * HISTORY afterwards. Versions that lived in compacted files are gone; a copied current version has no
 * parent, and a version whose parent pointer now lands elsewhere ends its chain, because HISTORY only
 * follows a parent that is strictly earlier and holds a valid record of the same key.
 *
 * SCAN cursors that point into a compacted file become invalid ("Invalid key format").
 *
 * Limits. Copying runs at disk speed on the caller's thread (the server gives it a background thread);
 * the owner thread only pays for the snapshot (one table walk) and the switch. One compaction per
 * namespace at a time.
 */
final class Compactor {
    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final FileNamespace ns;
    private final FileStore store;

    Compactor(FileNamespace ns, FileStore store) {
        this.ns = ns;
        this.store = store;
    }

    private record FilePlan(long fileId, Path dataPath, Path indexPath, long[] liveOffsets, long entryCount) { }

    private record Plan(long epoch, List<FilePlan> files) { }

    private record Move(byte[] key, long oldOffset, RecordHeader copy) { }

    private record Copied(FilePlan plan, long generation, long bytesBefore, long bytesAfter, long dropped,
                          List<Move> moves) { }

    CompactionReport run() throws IOException {
        if (!store.startCompaction(ns.name())) {
            return new CompactionReport(0, 0, 0, 0);
        }
        List<Copied> done = new ArrayList<>();
        try {
            Plan plan = store.onOwner(this::plan);
            for (FilePlan fp : plan.files()) {
                done.add(copy(fp));
            }
            if (done.isEmpty()) {
                return new CompactionReport(0, 0, 0, 0);
            }
            return store.onOwner(() -> swap(plan, done));
        } finally {
            for (Copied c : done) {
                Files.deleteIfExists(compactPath(c.plan().dataPath()));
                Files.deleteIfExists(compactPath(c.plan().indexPath()));
            }
            store.endCompaction(ns.name());
        }
    }

    private Plan plan() throws IOException {
        long activeId = ns.activeId();
        Map<Long, long[]> live = new HashMap<>();
        Map<Long, Integer> counts = new HashMap<>();
        ns.forEachLive((key, fileId, offset) -> {
            if (fileId < activeId) {
                long[] arr = live.computeIfAbsent(fileId, k -> new long[16]);
                int n = counts.merge(fileId, 1, Integer::sum);
                if (n > arr.length) {
                    arr = Arrays.copyOf(arr, arr.length * 2);
                    live.put(fileId, arr);
                }
                arr[n - 1] = offset;
            }
        });
        List<FilePlan> files = new ArrayList<>();
        for (long f = 0; f < activeId; f++) {
            int n = counts.getOrDefault(f, 0);
            long entries = ns.indexFile(f).entryCount();
            if (!Files.exists(ns.dataPath(f))) {
                LOG.warn("namespace {}: data file {} is offloaded, skipping compaction", ns.name(), ns.dataPath(f));
                return new Plan(ns.epoch(), List.of());
            }
            if (n == entries) {
                continue;
            }
            long[] offsets = n == 0 ? new long[0] : Arrays.copyOf(live.get(f), n);
            Arrays.sort(offsets);
            files.add(new FilePlan(f, ns.dataPath(f), ns.indexPath(f), offsets, entries));
        }
        return new Plan(ns.epoch(), files);
    }

    private Copied copy(FilePlan fp) throws IOException {
        long gen = store.newGeneration();
        List<Move> moves = new ArrayList<>();
        long dropped = 0;
        long before;
        long after;
        try (DataFile src = DataFile.open(fp.dataPath(), fp.fileId(), gen);
             DataFile dst = DataFile.create(compactPath(fp.dataPath()), fp.fileId(), gen);
             IndexFile idx = IndexFile.create(compactPath(fp.indexPath()), fp.fileId(), gen)) {
            before = src.size();
            WindowReader r = new WindowReader(src.file());
            long pos = DataFile.HEADER_SIZE;
            while (pos < before) {
                int avail = (int) Math.min(DataFile.RECORD_HEADER_SIZE + 255, before - pos);
                int at = r.fill(pos, avail);
                RecordHeader h = DataFile.parseHeader(r.buffer(), at, avail, pos, before);
                if (h == null) {
                    throw new CorruptFileException(fp.dataPath() + ": invalid record at offset " + pos
                            + " during compaction (expected: a file verified at load)");
                }
                if (Arrays.binarySearch(fp.liveOffsets(), pos) >= 0) {
                    byte[] payload = src.readPayload(h);
                    RecordHeader copy = dst.append(h.flags(), h.key(), payload, h.timestamp(),
                            DataFile.NO_PARENT, DataFile.NO_PARENT);
                    idx.append(copy);
                    moves.add(new Move(h.key(), pos, copy));
                } else {
                    dropped++;
                }
                pos += h.size();
            }
            dst.file().force();
            idx.file().force();
            after = dst.size();
        }
        return new Copied(fp, gen, before, after, dropped, moves);
    }

    private CompactionReport swap(Plan plan, List<Copied> done) throws IOException {
        if (ns.isDeleted() || ns.epoch() != plan.epoch()) {
            LOG.info("namespace {}: files replaced during compaction, discarding its result", ns.name());
            return new CompactionReport(0, 0, 0, 0);
        }
        if (ns.mode() == Mode.SEQ) {
            ns.seqFloor(ns.nextSeqId());
        }
        long before = 0;
        long after = 0;
        long dropped = 0;
        for (Copied c : done) {
            FilePlan fp = c.plan();
            Files.move(compactPath(fp.dataPath()), fp.dataPath(), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.syncDirectory(fp.dataPath().getParent());
            Files.move(compactPath(fp.indexPath()), fp.indexPath(), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.syncDirectory(fp.indexPath().getParent());
            DataFile data = DataFile.open(fp.dataPath(), fp.fileId(), store.newGeneration());
            Recovery.Recovered rec = Recovery.recover(data, fp.indexPath(), false, store.listener(), e -> { });
            ns.replacePair(fp.fileId(), data, rec.index());
            for (Move m : c.moves()) {
                if (ns.isLiveAt(m.key(), fp.fileId(), m.oldOffset())) {
                    ns.relocate(m.key(), fp.fileId(), m.copy());
                }
            }
            before += c.bytesBefore();
            after += c.bytesAfter();
            dropped += c.dropped();
        }
        LOG.info("namespace {}: compacted {} files, {} -> {} bytes, {} records dropped", ns.name(), done.size(),
                before, after, dropped);
        return new CompactionReport(done.size(), before, after, dropped);
    }

    static Path compactPath(Path p) {
        return p.resolveSibling(p.getFileName() + ".compact");
    }
}
