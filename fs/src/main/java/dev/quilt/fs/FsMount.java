package dev.quilt.fs;

import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.metrics.MetricsRegistry;
import dev.quilt.zstor.Zstor;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;
import org.cryptomator.jfuse.api.Fuse;
import org.cryptomator.jfuse.api.FuseBuilder;
import org.cryptomator.jfuse.api.FuseMountFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A snapshot opened read-write over a local cache directory, and optionally mounted with FUSE.
 *
 * <p>The cache directory holds everything local: {@code meta/} (RocksDB: inodes, directory entries, chunk
 * slots), {@code clean/} (chunks fetched from zstor, by hash, evicted by recency) and {@code dirty/}
 * (copy-on-write chunks not yet flushed). The first open of a snapshot fills {@code meta/} from its manifest;
 * a later open (after an unmount, or a crash) resumes from what is there.
 */
public final class FsMount implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FsMount.class);
    private static final List<Path> LIBFUSE = List.of(Path.of("/usr/lib/x86_64-linux-gnu/libfuse3.so.3"),
            Path.of("/lib/x86_64-linux-gnu/libfuse3.so.3"), Path.of("/usr/lib64/libfuse3.so.3"),
            Path.of("/usr/lib/libfuse3.so.3"));

    /**
     * @param cacheSize bytes of local disk for clean and dirty chunks together
     * @param fetchTimeout how long a read waits for a chunk before it fails with EIO
     * @param prefetchChunks chunks fetched ahead of a sequential reader
     * @param flushQuiet how long a dirty chunk must go unwritten before it is flushed in the background
     */
    public record Options(Path cacheDir, long cacheSize, Duration fetchTimeout, int prefetchChunks, Duration flushQuiet) {
        public static Options defaults(Path cacheDir, long cacheSize) {
            return new Options(cacheDir, cacheSize, Duration.ofSeconds(30), 4, Duration.ofSeconds(2));
        }
    }

    private final Options options;
    private final ChunkStore store;
    private final LocalState state;
    private final DirtyChunks dirty;
    private final FsTree tree;
    private final Flusher flusher;
    private final FsMetrics metrics = new FsMetrics();
    private final Optional<WriteLease> lease;
    private Fuse fuse;
    private Path mountpoint;

    private FsMount(Options options, ChunkStore store, LocalState state, DirtyChunks dirty, LocalState.Meta meta,
            Map<Long, Node> nodes, String backends) throws IOException {
        this.options = options;
        this.store = store;
        this.state = state;
        this.dirty = dirty;
        // First, before the flusher can upload a chunk no manifest references yet; released if the rest fails.
        this.lease = lease(store);
        try {
            this.tree = new FsTree(state, dirty, dirtyBytes -> new ChunkCache(options.cacheDir().resolve("clean"), store,
                    options.cacheSize(), dirtyBytes, options.fetchTimeout(), backends, metrics), meta, nodes,
                    options.prefetchChunks());
            metrics.gauges(tree::dirtyBytes, () -> tree.cache().cleanBytes());
            this.flusher = new Flusher(tree, store, metrics, options.cacheSize(), options.flushQuiet());
            tree.backpressure(flusher::awaitRoom);
        } catch (IOException | RuntimeException e) {
            lease.ifPresent(WriteLease::close);
            throw e;
        }
    }

    /**
     * Opens {@code snapshot} over the cache directory: fills it from the manifest the first time, resumes
     * otherwise.
     *
     * @param backends the zstor backends, as logged when a fetch fails
     * @throws IOException when the cache directory belongs to another snapshot, or is in use
     */
    public static FsMount open(Zstor zstor, Hash256 snapshot, Options options, String backends) throws IOException {
        ChunkStore store = new ChunkStore(zstor);
        LocalState state = LocalState.open(options.cacheDir().resolve("meta"));
        try {
            Optional<LocalState.Meta> meta = state.meta();
            if (meta.isPresent() && !meta.get().base().equals(snapshot)) {
                throw new IOException(options.cacheDir() + " holds a mount of snapshot " + meta.get().base().hex()
                        + ", not " + snapshot.hex() + "; use another --cache");
            }
            if (meta.isEmpty()) {
                Manifest manifest = store.getManifest(snapshot);
                Map<Long, Node> nodes = FsTree.fromManifest(manifest);
                LocalState.Meta fresh = new LocalState.Meta(snapshot, manifest.chunkSize(), nodes.size() + 1L);
                state.putAll(fresh, nodes.values());
                meta = Optional.of(fresh);
            }
            return resume(store, state, meta.get(), options, backends);
        } catch (IOException | RuntimeException e) {
            state.close();
            throw e;
        }
    }

    /** Opens whatever snapshot the cache directory holds (to seal it without mounting). */
    public static FsMount openExisting(Zstor zstor, Options options, String backends) throws IOException {
        if (!Files.isDirectory(options.cacheDir().resolve("meta"))) {
            throw new IOException(options.cacheDir() + " is not a mount's cache directory (no meta/ in it)");
        }
        ChunkStore store = new ChunkStore(zstor);
        LocalState state = LocalState.open(options.cacheDir().resolve("meta"));
        try {
            LocalState.Meta meta = state.meta().orElseThrow(() -> new IOException(options.cacheDir()
                    + " was never filled from a snapshot"));
            return resume(store, state, meta, options, backends);
        } catch (IOException | RuntimeException e) {
            state.close();
            throw e;
        }
    }

    private static FsMount resume(ChunkStore store, LocalState state, LocalState.Meta meta, Options options,
            String backends) throws IOException {
        DirtyChunks dirty = new DirtyChunks(options.cacheDir().resolve("dirty"));
        Map<Long, Node> nodes = state.loadNodes(dirty::length);
        return new FsMount(options, store, state, dirty, meta, nodes, backends);
    }

    /**
     * A writer lease for as long as the mount is open: chunks it flushes are referenced by no snapshot until a
     * seal, so a chunk collection must not run meanwhile. Taken best effort: a mount whose store cannot be
     * written now still serves its reads, and the lease's renewal keeps trying to store it.
     */
    private static Optional<WriteLease> lease(ChunkStore store) {
        try {
            return Optional.of(WriteLease.writer(store, Duration.ofMinutes(10)));
        } catch (IOException e) {
            LOG.warn("event=fs.lease.unavailable error=\"{}\" note=\"a chunk gc could run while this mount is open\"",
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** The data backends' addresses, as a fetch failure logs them. */
    public static String describeBackends(dev.quilt.zstor.config.ZstorConfig config) {
        return config.groups().stream().flatMap(g -> g.backends().stream()).map(b -> b.address())
                .collect(java.util.stream.Collectors.joining(","));
    }

    /** The snapshot this mount started from. */
    public Hash256 base() {
        return tree.base();
    }

    public MetricsRegistry metrics() {
        return metrics.registry;
    }

    /**
     * Loads now what the first mount in a process otherwise loads on its way, seconds on a busy machine:
     * RocksDB's native library (the metadata store) and libfuse with jfuse's bindings for every call the
     * filesystem serves. For a process that mounts on demand (a node agent) and wants its first mount as
     * fast as later ones; mounts nothing.
     */
    public static void preload() throws IOException {
        org.rocksdb.RocksDB.loadLibrary();
        FuseBuilder builder = fuseBuilder();
        try (Fuse f = builder.build(new QuiltFs(null, builder.errno(), Path.of(".")))) {
            LOG.debug("event=fs.preloaded fuse={}", f.getClass().getSimpleName());
        } catch (TimeoutException e) {
            throw new IOException("jfuse did not close an unmounted instance: " + e.getMessage(), e);
        }
    }

    private static FuseBuilder fuseBuilder() throws IOException {
        Path lib = LIBFUSE.stream().filter(Files::exists).findFirst()
                .orElseThrow(() -> new IOException("libfuse3.so.3 not found in " + LIBFUSE + ": install fuse3"));
        if (!Files.exists(Path.of("/dev/fuse"))) {
            throw new IOException("/dev/fuse is missing: this machine cannot mount FUSE filesystems");
        }
        FuseBuilder builder = Fuse.builder();
        builder.setLibraryPath(lib.toString());
        return builder;
    }

    /** Mounts the tree at {@code mountpoint} (an empty directory) and returns once it answers. */
    public synchronized void mount(Path mountpoint) throws IOException {
        clearStaleMount(mountpoint);
        FuseBuilder builder = fuseBuilder();
        Fuse f = builder.build(new QuiltFs(tree, builder.errno(), options.cacheDir()));
        // kernel_cache: every change to a file's bytes comes through this mount, so the kernel's page cache
        // never goes stale and warm reads need not cross into this process at all.
        try {
            f.mount("quilt-fs", mountpoint, "-o", "fsname=quilt:" + options.cacheDir().toAbsolutePath()
                    + ",subtype=quilt,default_permissions,kernel_cache");
        } catch (FuseMountFailedException e) {
            throw new IOException("cannot mount at " + mountpoint + ": " + e.getMessage(), e);
        }
        this.fuse = f;
        this.mountpoint = mountpoint;
        LOG.info("event=fs.mounted mountpoint={} snapshot={} cache={}", mountpoint, tree.base().hex(), options.cacheDir());
    }

    /** A mount whose process died answers ENOTCONN; take it down lazily so the directory can be mounted again. */
    private static void clearStaleMount(Path mountpoint) throws IOException {
        try {
            Files.readAttributes(mountpoint, "basic:isDirectory");
        } catch (FileSystemException e) {
            if (String.valueOf(e.getMessage()).contains("not connected")) {
                LOG.warn("event=fs.stale_mount mountpoint={} action=\"umount -l\"", mountpoint);
                try {
                    new ProcessBuilder("umount", "-l", mountpoint.toString()).inheritIO().start().waitFor();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * Turns the current tree into a snapshot: flushes every dirty chunk to zstor, then stores the manifest.
     *
     * @return the new manifest's hash
     */
    public Hash256 seal(OptionalLong sourceHeight) throws IOException {
        while (true) {
            flusher.flushAll();
            tree.syncMetadata();
            Optional<Manifest> manifest = tree.manifest(sourceHeight);
            if (manifest.isPresent()) {
                Hash256 hash = store.putManifest(manifest.get());
                LOG.info("event=fs.sealed snapshot={} bytes={}", hash.hex(), manifest.get().totalBytes());
                return hash;
            }
        }
    }

    /** The tree, for tests that drive it without FUSE. */
    FsTree tree() {
        return tree;
    }

    /** Flushes every dirty chunk to zstor now. */
    public void flushAll() throws IOException {
        flusher.flushAll();
    }

    /** Counters for tests and the command line: dirty bytes and what was fetched. */
    public long dirtyBytes() {
        return tree.dirtyBytes();
    }

    public long cachedBytes() {
        return tree.cache().cleanBytes();
    }

    public long fetchedBytes() {
        return metrics.bytesFetched.value();
    }

    /** Unmounts (if mounted) and closes the local state. Dirty chunks stay in the cache for the next mount. */
    @Override
    public synchronized void close() {
        if (fuse != null) {
            try {
                fuse.close();
            } catch (TimeoutException e) {
                LOG.warn("event=fs.unmount.timeout mountpoint={}", mountpoint);
            }
            fuse = null;
            LOG.info("event=fs.unmounted mountpoint={}", mountpoint);
        }
        flusher.close();
        dirty.close();
        state.close();
        lease.ifPresent(WriteLease::close);
    }
}
