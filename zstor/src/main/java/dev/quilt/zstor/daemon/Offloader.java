package dev.quilt.zstor.daemon;

import dev.quilt.common.io.AtomicFiles;
import dev.quilt.zstor.Zstor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offloads a local zdb's closed data files to zstor and brings them back, keeping the data root under its cap.
 *
 * <p><b>Never lost.</b> The queue of files to store lives in memory, but it is not the record of truth: a file
 * stays on local disk until the {@link OffloadManifest} confirms it stored (object and metadata written, for its
 * exact size and time), and every start and every {@link DaemonConfig.Offload#rescanInterval()} the data root is
 * rescanned for closed files not confirmed. So a crash, a failed upload or a full queue only delays a store.
 * A failed store goes to the back of the queue after a back-off, so one bad file cannot stall the others
 * (0-stor_v2 retried it at the front, forever).
 *
 * <p><b>Back-pressure, bounded memory.</b> One worker streams one file at a time from disk; the queue holds at
 * most {@link DaemonConfig.Offload#queueCapacity()} paths, and an event beyond that is left to the next rescan.
 * Nothing grows with the backlog but the local disk, which is where the data already is (0-stor_v2's blocking
 * hook calls piled up and the daemon was OOM-killed: zos#1532).
 *
 * <p><b>Eviction.</b> After each store and each rescan, {@link EvictionPolicy} picks confirmed, closed files to
 * delete, least recently used first, until the root is under {@link DaemonConfig.Offload#maxDataDirBytes()}.
 *
 * <p><b>Retrieval.</b> {@link #retrieve} writes the object to a temp file next to the data file, forces it and
 * renames it into place, so zdb never sees half a file. Concurrent requests for one file share one retrieval.
 */
final class Offloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Offloader.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);
    /**
     * A file brought back is not deleted for this long, whatever the cap: zdb opens it only after the hook
     * answered, and deleting it in between would fail the very read that asked for it.
     */
    static final Duration RETRIEVED_GRACE = Duration.ofSeconds(60);

    private final Zstor zstor;
    private final DaemonConfig.Offload config;
    private final Path dataRoot;
    private final OffloadManifest manifest;
    private final DaemonMetrics metrics;
    private final Clock clock;
    private final LinkedHashSet<Path> queue = new LinkedHashSet<>();
    private final Map<String, Long> retrievedAt = new ConcurrentHashMap<>();
    private final Map<Path, CompletableFuture<Void>> retrieving = new ConcurrentHashMap<>();
    private final Object evictionLock = new Object();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread worker;
    private final Thread scanner;

    private Offloader(Zstor zstor, DaemonConfig.Offload config, OffloadManifest manifest, DaemonMetrics metrics, Clock clock) {
        this.zstor = zstor;
        this.config = config;
        this.dataRoot = config.dataDir().toAbsolutePath().normalize();
        this.manifest = manifest;
        this.metrics = metrics;
        this.clock = clock;
        this.worker = Thread.ofVirtual().name("zstor-offload-store").unstarted(this::storeLoop);
        this.scanner = Thread.ofVirtual().name("zstor-offload-scan").unstarted(this::scanLoop);
    }

    /** Opens the manifest, rescans the data root once and starts storing. */
    static Offloader start(Zstor zstor, DaemonConfig.Offload config, DaemonMetrics metrics, Clock clock) throws IOException {
        OffloadManifest manifest = OffloadManifest.open(config.stateDir());
        Offloader offloader = new Offloader(zstor, config, manifest, metrics, clock);
        offloader.rescan();
        offloader.worker.start();
        offloader.scanner.start();
        LOG.atInfo().addKeyValue("data_dir", offloader.dataRoot).addKeyValue("confirmed", manifest.size())
                .addKeyValue("queued", offloader.queued()).addKeyValue("cap_bytes", config.maxDataDirBytes())
                .log("event=offload_started");
        return offloader;
    }

    /**
     * Queues a closed data file (the jump-data event). False when the queue is full: the file stays on disk and
     * the next rescan queues it.
     */
    boolean offer(Path dataFile) {
        Path file = checkDataFile(dataFile);
        synchronized (queue) {
            if (queue.contains(file)) {
                return true;
            }
            if (queue.size() >= config.queueCapacity()) {
                return false;
            }
            queue.add(file);
            metrics.queued.set(queue.size());
            queue.notifyAll();
            return true;
        }
    }

    int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    /** Queues every closed data file that is not confirmed stored with its current size and time. */
    void rescan() throws IOException {
        DataDirScan.Result scan = DataDirScan.scan(dataRoot);
        metrics.dataDirBytes.set(scan.totalBytes());
        long unconfirmed = 0;
        for (DataDirScan.DataFile f : scan.closed()) {
            if (!manifest.isConfirmed(f.relative(), f.size(), f.mtimeMillis())) {
                unconfirmed++;
                offer(f.path());
            }
        }
        metrics.unconfirmed.set(unconfirmed);
    }

    /**
     * Brings an offloaded data file back (the missing-data event); returns once it is in place, durably.
     *
     * @throws IOException when it could not be retrieved; nothing is left at {@code dataFile} then
     */
    void retrieve(Path dataFile) throws IOException {
        Path file = checkDataFile(dataFile);
        if (Files.exists(file)) {
            return;
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = retrieving.putIfAbsent(file, mine);
        if (running != null) {
            awaitOther(running, file);
            return;
        }
        try {
            retrieveNow(file);
            mine.complete(null);
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            metrics.retrieveFailures.increment();
            throw e;
        } finally {
            retrieving.remove(file, mine);
        }
    }

    private void retrieveNow(Path file) throws IOException {
        String key = FileKeys.forDataFile(dataRoot, file);
        Path temp = file.resolveSibling("." + file.getFileName() + ".retrieving");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = Channels.newOutputStream(channel);
                zstor.retrieve(key, out, n -> { });
                out.flush();
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncDirectory(file.getParent());
        } finally {
            Files.deleteIfExists(temp);
        }
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        // It came from zstor, so it is stored: confirm it as it is now, or the rescan would store it again.
        manifest.confirm(relative(file), a.size(), a.lastModifiedTime().toMillis());
        retrievedAt.put(relative(file), clock.millis());
        metrics.retrieved.increment();
        LOG.atInfo().addKeyValue("file", file).addKeyValue("key", key).addKeyValue("bytes", a.size())
                .log("event=data_file_retrieved");
    }

    private static void awaitOther(CompletableFuture<Void> running, Path file) throws IOException {
        try {
            running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the retrieval of " + file, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("retrieval of " + file + " failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Deletes confirmed closed files, least recently used first, until the data root is under its cap. */
    void enforceCap() throws IOException {
        if (config.maxDataDirBytes() == 0) {
            return;
        }
        synchronized (evictionLock) {
            DataDirScan.Result scan = DataDirScan.scan(dataRoot);
            long total = scan.totalBytes();
            for (DataDirScan.DataFile f : EvictionPolicy.choose(scan, config.maxDataDirBytes(), manifest, retrievedAt)) {
                if (retrieving.containsKey(f.path()) || justRetrieved(f) || !stillConfirmed(f)) {
                    continue;
                }
                try {
                    Files.delete(f.path());
                } catch (NoSuchFileException e) {
                    continue;
                }
                total -= f.size();
                metrics.evicted.increment();
                metrics.evictedBytes.add(f.size());
                LOG.atInfo().addKeyValue("file", f.path()).addKeyValue("bytes", f.size())
                        .addKeyValue("data_dir_bytes", total).log("event=data_file_evicted");
            }
            metrics.dataDirBytes.set(total);
        }
    }

    private boolean justRetrieved(DataDirScan.DataFile f) {
        Long at = retrievedAt.get(f.relative());
        return at != null && clock.millis() - at < RETRIEVED_GRACE.toMillis();
    }

    /** Re-reads the file's attributes just before deleting it: zdb may have compacted it since the scan. */
    private boolean stillConfirmed(DataDirScan.DataFile f) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(f.path(), BasicFileAttributes.class);
            return manifest.isConfirmed(f.relative(), a.size(), a.lastModifiedTime().toMillis());
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private void storeLoop() {
        int failures = 0;
        while (stop.getCount() > 0) {
            Path next;
            synchronized (queue) {
                while (queue.isEmpty() && stop.getCount() > 0) {
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (queue.isEmpty()) {
                    return;
                }
                next = queue.getFirst();
            }
            boolean stored;
            try {
                stored = storeOne(next);
                failures = 0;
            } catch (IOException | RuntimeException e) {
                stored = false;
                failures++;
                metrics.offloadFailures.increment();
                LOG.atWarn().addKeyValue("file", next).addKeyValue("attempt", failures).addKeyValue("error", e.getMessage())
                        .log("event=data_file_store_failed action=retry_later");
            }
            synchronized (queue) {
                queue.remove(next);
                if (!stored && failures > 0 && Files.exists(next)) {
                    queue.addLast(next); // to the back: one bad file must not stall the rest
                }
                metrics.queued.set(queue.size());
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            if (failures > 0 && pause(backoff(failures))) {
                return;
            }
            try {
                enforceCap();
            } catch (IOException | RuntimeException e) {
                LOG.atWarn().addKeyValue("error", e.getMessage()).log("event=eviction_failed");
            }
        }
    }

    /** Stores one closed file and confirms it; false when there was nothing to do. */
    private boolean storeOne(Path file) throws IOException {
        BasicFileAttributes before;
        try {
            before = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return false; // deleted by zdb (namespace removed) or compacted away
        }
        String relative = relative(file);
        if (manifest.isConfirmed(relative, before.size(), before.lastModifiedTime().toMillis()) || isActive(file)) {
            return false;
        }
        String key = FileKeys.forDataFile(dataRoot, file);
        try (InputStream in = Files.newInputStream(file)) {
            zstor.store(key, in, n -> { });
        }
        BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class);
        if (after.size() != before.size() || !after.lastModifiedTime().equals(before.lastModifiedTime())) {
            throw new IOException(file + " changed while it was stored (compacted?): storing it again");
        }
        manifest.confirm(relative, before.size(), before.lastModifiedTime().toMillis());
        metrics.offloadStored.increment();
        metrics.offloadStoredBytes.add(before.size());
        LOG.atInfo().addKeyValue("file", file).addKeyValue("key", key).addKeyValue("bytes", before.size())
                .log("event=data_file_stored");
        return true;
    }

    /** Whether {@code file} is the newest data file of its namespace, which zdb still appends to. */
    private static boolean isActive(Path file) throws IOException {
        long id = DataDirScan.dataFileId(file);
        try (var siblings = Files.list(file.getParent())) {
            return siblings.mapToLong(DataDirScan::dataFileId).max().orElse(-1) == id;
        }
    }

    private void scanLoop() {
        while (!pause(config.rescanInterval())) {
            try {
                rescan();
                enforceCap();
            } catch (IOException | RuntimeException e) {
                LOG.atWarn().addKeyValue("data_dir", dataRoot).addKeyValue("error", e.getMessage()).log("event=rescan_failed");
            }
        }
    }

    /** Sleeps; true when the offloader is stopping. */
    private boolean pause(Duration duration) {
        try {
            return stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static Duration backoff(int failures) {
        Duration d = Duration.ofMillis(250L << Math.min(failures - 1, 10));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    private Path checkDataFile(Path dataFile) {
        Path file = dataFile.toAbsolutePath().normalize();
        if (!file.startsWith(dataRoot) || file.getParent() == null || !file.getParent().getParent().equals(dataRoot)
                || DataDirScan.dataFileId(file) < 0) {
            throw new IllegalArgumentException(dataFile + " is not a zdb data file under zdb_data_dir_path " + dataRoot
                    + " (expected: <zdb_data_dir_path>/<namespace>/d<N>)");
        }
        return file;
    }

    private String relative(Path file) {
        return FileKeys.forDataFile(dataRoot, file).substring(FileKeys.DATA_FILE_PREFIX.length());
    }

    Optional<OffloadManifest.Entry> confirmed(Path file) {
        return manifest.get(relative(file.toAbsolutePath().normalize()));
    }

    /**
     * Stops: no new work; an upload in progress gets a grace period to finish and confirm, else it is
     * interrupted and parked, which loses nothing: the file is unconfirmed and the next start stores it.
     */
    @Override
    public void close() throws IOException {
        stop.countDown();
        synchronized (queue) {
            queue.notifyAll();
        }
        scanner.interrupt();
        try {
            if (!worker.join(SHUTDOWN_GRACE)) {
                LOG.atWarn().log("event=offload_parked reason=\"upload still running at shutdown; it is redone at next start\"");
                worker.interrupt();
                worker.join(Duration.ofSeconds(5));
            }
            scanner.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            manifest.close();
        }
    }
}
