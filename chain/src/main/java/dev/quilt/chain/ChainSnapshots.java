package dev.quilt.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * Snapshots of the chain's store for Ratis: a RocksDB checkpoint (entries, Merkle nodes, blocks,
 * signatures, head) in the state machine directory, named by the term and log index of the cut it
 * ends at. The leader ships these files to a follower whose log is too far behind; the follower
 * restores its store from them and serves proofs at once, since the Merkle nodes are included.
 *
 * <h2>Format</h2>
 * <pre>
 * &lt;state machine dir&gt;/snapshot.&lt;term&gt;_&lt;index&gt;/   a RocksDB checkpoint
 *                                             plus COMPLETE, written last
 * </pre>
 * A directory without {@code COMPLETE} was cut short and is ignored. Only the newest
 * {@link #KEEP} snapshots are kept.
 *
 * <p>Not thread-safe: used from the state machine's apply thread (Ratis takes snapshots there).
 */
final class ChainSnapshots {
    /** How many complete snapshots are kept. */
    static final int KEEP = 2;
    private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
    private static final String COMPLETE = "COMPLETE";

    /** A complete snapshot on disk. */
    record Snapshot(Path dir, TermIndex termIndex) {}

    private final Path stateMachineDir;

    ChainSnapshots(Path stateMachineDir) {
        this.stateMachineDir = stateMachineDir;
    }

    Optional<Snapshot> latest() {
        if (!Files.isDirectory(stateMachineDir)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(stateMachineDir)) {
            return dirs.map(ChainSnapshots::parse).flatMap(Optional::stream)
                    .filter(s -> Files.exists(s.dir().resolve(COMPLETE)))
                    .max(Comparator.comparingLong(s -> s.termIndex().getIndex()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list snapshots in " + stateMachineDir, e);
        }
    }

    /** The latest snapshot as Ratis describes it, or null when there is none. */
    SnapshotInfo latestInfo() {
        return latest().map(s -> new FileListSnapshotInfo(files(s.dir()), s.termIndex())).orElse(null);
    }

    /** Checkpoints {@code store} as the snapshot at {@code (term, index)}, unless it exists. */
    void take(RocksStateStore store, long term, long index) throws IOException {
        Path dir = stateMachineDir.resolve("snapshot." + term + "_" + index);
        if (Files.exists(dir.resolve(COMPLETE))) {
            return;
        }
        Files.createDirectories(stateMachineDir);
        deleteTree(dir);
        store.checkpoint(dir);
        dev.quilt.common.io.AtomicFiles.write(dir.resolve(COMPLETE), new byte[] {1});
        prune();
    }

    /** Replaces the contents of {@code storeDir} with the snapshot's RocksDB files; the store must be closed. */
    static void restore(Snapshot snapshot, Path storeDir) throws IOException {
        deleteTree(storeDir);
        Files.createDirectories(storeDir);
        try (Stream<Path> files = Files.list(snapshot.dir())) {
            for (Path f : files.filter(p -> !p.getFileName().toString().equals(COMPLETE)).toList()) {
                Files.copy(f, storeDir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private void prune() throws IOException {
        List<Snapshot> all;
        try (Stream<Path> dirs = Files.list(stateMachineDir)) {
            all = dirs.map(ChainSnapshots::parse).flatMap(Optional::stream)
                    .sorted(Comparator.comparingLong((Snapshot s) -> s.termIndex().getIndex()).reversed()).toList();
        }
        for (Snapshot old : all.subList(Math.min(KEEP, all.size()), all.size())) {
            deleteTree(old.dir());
        }
    }

    private static Optional<Snapshot> parse(Path dir) {
        Matcher m = NAME.matcher(dir.getFileName().toString());
        return m.matches() && Files.isDirectory(dir)
                ? Optional.of(new Snapshot(dir, TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)))))
                : Optional.empty();
    }

    private static List<FileInfo> files(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            // Digests are left to Ratis, which computes them while sending.
            return new ArrayList<>(files.map(f -> new FileInfo(f.toAbsolutePath(), null)).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list snapshot " + dir, e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
