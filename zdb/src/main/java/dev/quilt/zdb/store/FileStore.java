package dev.quilt.zdb.store;

import dev.quilt.common.io.AtomicFiles;
import dev.quilt.common.io.DirectoryLock;
import dev.quilt.common.io.DirectoryLockedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * The file-backed {@link Store}: one {@link FileNamespace} per directory under both roots.
 *
 * <p><b>Start-up.</b> Locks both roots, reads and removes the clean-shutdown marker
 * ({@code <indexRoot>/.clean-shutdown}), loads every namespace (verifying each active data file whole
 * when the marker was absent), creates {@code default} if needed. {@link #close()} writes the marker back
 * after forcing everything.
 *
 * <p><b>Concurrency.</b> Confined to the owner thread except {@link #durable()} and {@link #close()}
 * (see {@link Store}); fsyncs run on the {@link Syncer}, compaction copying on the compacting caller.
 */
final class FileStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);
    static final String CLEAN_SHUTDOWN = ".clean-shutdown";
    private static final int MAX_NAME_BYTES = 128;

    private final StoreConfig config;
    private final StoreListener listener;
    private final Executor owner;
    private final DirectoryLock dataLock;
    private final DirectoryLock indexLock;
    private final Syncer syncer;
    private final DataFileHandles handles;
    private final StoreCounters counters = new StoreCounters();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, FileNamespace> namespaces = new LinkedHashMap<>();
    private final Set<String> compacting = ConcurrentHashMap.newKeySet();
    private boolean closed;
    /** The thread that opened the store, taken to be the owner: {@link #onOwner} must not wait on itself. */
    private final Thread openingThread = Thread.currentThread();

    private FileStore(StoreConfig config, StoreListener listener, Executor owner, DirectoryLock dataLock,
                      DirectoryLock indexLock) {
        this.config = config;
        this.listener = listener;
        this.owner = owner;
        this.dataLock = dataLock;
        this.indexLock = indexLock;
        this.syncer = new Syncer(owner, config.syncInterval());
        this.handles = new DataFileHandles(config.openDataFiles(), config.dataFileIdleTimeout());
    }

    static Store open(StoreConfig config, StoreListener listener, Executor owner) throws IOException {
        Path dataRoot = config.dataRoot();
        Path indexRoot = config.indexRoot();
        Files.createDirectories(dataRoot);
        Files.createDirectories(indexRoot);
        if (dataRoot.toRealPath().equals(indexRoot.toRealPath())) {
            throw new IllegalArgumentException("index root: " + indexRoot.toRealPath()
                    + " (expected: a directory other than the data root)");
        }
        DirectoryLock dataLock = lock(dataRoot);
        DirectoryLock indexLock;
        try {
            indexLock = lock(indexRoot);
        } catch (IOException e) {
            dataLock.close();
            throw e;
        }
        FileStore store = new FileStore(config, listener, owner, dataLock, indexLock);
        try {
            store.loadAll();
        } catch (IOException | RuntimeException e) {
            store.syncer.close();
            store.closeQuietly();
            throw e;
        }
        return store;
    }

    private static DirectoryLock lock(Path dir) throws IOException {
        try {
            return DirectoryLock.acquire(dir);
        } catch (DirectoryLockedException e) {
            throw new StoreLockedException(e.lockFile());
        }
    }

    private void loadAll() throws IOException {
        listener.namespacesInit(config.indexRoot(), config.dataRoot());
        Path marker = config.indexRoot().resolve(CLEAN_SHUTDOWN);
        boolean clean = Files.exists(marker);
        if (clean) {
            Files.delete(marker);
            AtomicFiles.syncDirectory(config.indexRoot());
        }
        List<Map.Entry<String, NamespaceDescriptor>> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(config.indexRoot())) {
            for (Path dir : (Iterable<Path>) s::iterator) {
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                if (!Files.exists(NamespaceDescriptor.path(dir))) {
                    LOG.warn("ignoring {}: no namespace descriptor", dir);
                    continue;
                }
                found.add(Map.entry(dir.getFileName().toString(), NamespaceDescriptor.read(dir)));
            }
        }
        found.sort(Comparator.<Map.Entry<String, NamespaceDescriptor>>comparingInt(
                        e -> DEFAULT_NAMESPACE.equals(e.getKey()) ? 0 : 1)
                .thenComparingLong(e -> e.getValue().creationSeq())
                .thenComparing(Map.Entry::getKey));
        if (!clean && !found.isEmpty()) {
            LOG.info("no clean-shutdown marker in {}: verifying active data files", config.indexRoot());
        }
        for (Map.Entry<String, NamespaceDescriptor> e : found) {
            NamespaceDescriptor d = e.getValue();
            FileNamespace ns = namespaceObject(e.getKey(), d);
            ns.load(!clean);
            Optional<Mode> forced = config.forcedMode();
            if (forced.isPresent() && forced.get() != d.settings().mode()) {
                if (!ns.isFresh()) {
                    throw new IOException("namespace " + e.getKey() + " uses mode " + d.settings().mode().flag()
                            + " (expected: " + forced.get().flag() + " as the server forces)");
                }
                ns.applySettings(d.settings().withMode(forced.get()));
            }
            namespaces.put(e.getKey(), ns);
        }
        if (!namespaces.containsKey(DEFAULT_NAMESPACE)) {
            createNamespace(DEFAULT_NAMESPACE);
        }
    }

    private FileNamespace namespaceObject(String name, NamespaceDescriptor d) {
        return new FileNamespace(this, name, config.dataRoot().resolve(name), config.indexRoot().resolve(name), d);
    }

    // ---------------------------------------------------------------- collaborators

    StoreListener listener() {
        return listener;
    }

    StoreCounters counters() {
        return counters;
    }

    Syncer syncer() {
        return syncer;
    }

    DataFileHandles handles() {
        return handles;
    }

    /** A random data-file generation; thread-safe (compaction calls it off the owner thread). */
    long newGeneration() {
        synchronized (random) {
            return random.nextLong();
        }
    }

    boolean startCompaction(String name) {
        return compacting.add(name);
    }

    void endCompaction(String name) {
        compacting.remove(name);
    }

    interface OwnerTask<T> {
        T call() throws IOException;
    }

    /** Runs {@code task} on the owner thread and waits for it (callers are off the owner thread). */
    <T> T onOwner(OwnerTask<T> task) throws IOException {
        if (Thread.currentThread() == openingThread) {
            // Called on the owner itself (a misuse the API warns about): waiting would deadlock.
            return task.call();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        owner.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        }
    }

    // ---------------------------------------------------------------- Store

    @Override
    public StoreConfig config() {
        return config;
    }

    @Override
    public Optional<Namespace> namespace(String name) {
        return Optional.ofNullable(namespaces.get(name));
    }

    @Override
    public List<String> names() {
        List<String> names = new ArrayList<>(namespaces.size());
        names.add(DEFAULT_NAMESPACE);
        for (String n : namespaces.keySet()) {
            if (!n.equals(DEFAULT_NAMESPACE)) {
                names.add(n);
            }
        }
        return List.copyOf(names);
    }

    @Override
    public Namespace create(String name) throws IOException {
        checkOpen();
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_NAME_BYTES || name.equals(DEFAULT_NAMESPACE)
                || name.equals(".") || name.equals("..") || name.contains("/") || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("namespace name: '" + name
                    + "' (expected: 1.." + MAX_NAME_BYTES + " bytes, not default, '.', '..', no '/')");
        }
        if (namespaces.containsKey(name)) {
            throw new IllegalStateException("namespace " + name + " exists already");
        }
        FileNamespace ns = createNamespace(name);
        listener.namespaceCreated(name);
        return ns;
    }

    private FileNamespace createNamespace(String name) throws IOException {
        long seq = namespaces.values().stream().mapToLong(n -> n.descriptor().creationSeq()).max().orElse(0) + 1;
        NamespaceDescriptor d = new NamespaceDescriptor(NamespaceSettings.defaults(config.forcedMode().orElse(Mode.USER)),
                seq, 0);
        Path indexDir = config.indexRoot().resolve(name);
        Path dataDir = config.dataRoot().resolve(name);
        // Leftovers of a namespace deleted while this process was down must not come back.
        FileNamespace.deleteFiles(dataDir, false);
        FileNamespace.deleteFiles(indexDir, false);
        Files.createDirectories(indexDir);
        Files.createDirectories(dataDir);
        d.write(indexDir);
        AtomicFiles.syncDirectory(config.indexRoot());
        FileNamespace ns = namespaceObject(name, d);
        ns.load(false);
        namespaces.put(name, ns);
        return ns;
    }

    @Override
    public void delete(String name) throws IOException {
        checkOpen();
        if (DEFAULT_NAMESPACE.equals(name)) {
            throw new IllegalArgumentException("namespace: default (expected: any other; default cannot be removed)");
        }
        FileNamespace ns = namespaces.get(name);
        if (ns == null) {
            throw new IllegalStateException("namespace " + name + " does not exist");
        }
        namespaces.remove(name);
        ns.destroy();
        listener.namespaceDeleted(name);
    }

    @Override
    public void flush() throws IOException {
        for (FileNamespace ns : namespaces.values()) {
            ns.flush();
        }
    }

    @Override
    public CompletableFuture<Void> durable() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        owner.execute(() -> {
            try {
                flush();
                syncer.request(f);
            } catch (IOException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    @Override
    public void syncNow() throws IOException {
        flush();
        syncer.forceNow();
    }

    @Override
    public StoreStats stats() {
        long keys = 0;
        long bytes = 0;
        for (FileNamespace ns : namespaces.values()) {
            keys += ns.size();
            bytes += ns.dataSize();
        }
        StoreCounters c = counters;
        return new StoreStats(c.indexReadFailed, c.indexWriteFailed, c.dataReadFailed, c.dataWriteFailed,
                c.indexReadBytes, c.indexWriteBytes, c.dataReadBytes, c.dataWriteBytes, syncer.fsyncs(),
                c.recoveredBytesCut, keys, bytes);
    }

    @Override
    public void closeIdleFiles() {
        if (!closed) {
            handles.sweep();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        // Under -ea (every test run) each close re-checks the whole store against its files.
        assert invariantsHold();
        closed = true;
        syncer.close();
        IOException failure = null;
        for (FileNamespace ns : namespaces.values()) {
            try {
                ns.force();
                syncer.countFsync();
                listener.namespaceClosing(ns.name(), ns.activeIndex().path(), ns.active().path());
                ns.closeFiles();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure == null) {
            AtomicFiles.write(config.indexRoot().resolve(CLEAN_SHUTDOWN), new byte[] {1});
        }
        closeQuietly();
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Test hook: lets go of every file and lock without forcing or writing the clean-shutdown marker,
     * leaving the files as a killed process would (everything flushed so far is in the OS).
     */
    void abandon() {
        closed = true;
        syncer.close();
        closeQuietly();
    }

    /** Test hook: {@link FileNamespace#checkInvariants()} for every namespace. */
    void checkInvariants() throws IOException {
        for (FileNamespace ns : namespaces.values()) {
            ns.checkInvariants();
        }
    }

    private boolean invariantsHold() {
        try {
            checkInvariants();
        } catch (IOException e) {
            throw new AssertionError("store invariants: " + e.getMessage(), e);
        }
        return true;
    }

    private void closeQuietly() {
        for (FileNamespace ns : namespaces.values()) {
            try {
                ns.closeFiles();
            } catch (IOException e) {
                LOG.warn("closing namespace {}", ns.name(), e);
            }
        }
        try {
            indexLock.close();
        } catch (IOException e) {
            LOG.warn("releasing {}", indexLock.lockFile(), e);
        }
        try {
            dataLock.close();
        } catch (IOException e) {
            LOG.warn("releasing {}", dataLock.lockFile(), e);
        }
    }
}
