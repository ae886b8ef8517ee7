package dev.quilt.zdb.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The closed data files of a store that are open, least recently used first.
 *
 * <p>A descriptor keeps a deleted file's blocks allocated and keeps serving reads from it, so an offloaded
 * file would neither free its space nor go through the missing-data hook while zdb runs. Hence at most
 * {@code max} closed data files stay open, each only while it is used within {@code idle}, and a file whose
 * path no longer names it (deleted or replaced under zdb) is let go at the next sweep. Whatever is closed
 * here is reopened on its next read ({@link FileNamespace#dataFile}).
 *
 * <p>A file the syncer has still to force is never closed: its fsync would be lost (a closed channel is
 * taken as already forced). It stays until a later sweep finds it clean, so the bound may be exceeded by
 * the files closed by jumps whose fsync is still running.
 *
 * <p><b>Concurrency.</b> Owner thread only.
 */
final class DataFileHandles {
    private static final Logger LOG = LoggerFactory.getLogger(DataFileHandles.class);

    private static final class Use {
        final FileNamespace ns;
        /** What the path named when the file was opened; null when unknown (the file is then never "replaced"). */
        final Object fileKey;
        long lastUsedNanos;

        Use(FileNamespace ns, Object fileKey, long now) {
            this.ns = ns;
            this.fileKey = fileKey;
            this.lastUsedNanos = now;
        }
    }

    private final int max;
    private final long idleNanos;
    /** Access order: iteration starts at the least recently used. Keys compare by identity. */
    private final LinkedHashMap<DataFile, Use> open = new LinkedHashMap<>(16, 0.75f, true);

    DataFileHandles(int max, Duration idle) {
        this.max = max;
        this.idleNanos = idle.toNanos();
    }

    /** Starts tracking a closed data file of {@code ns} that was just opened or just closed for appends. */
    void opened(FileNamespace ns, DataFile file) {
        open.put(file, new Use(ns, fileKey(file), System.nanoTime()));
        List<Map.Entry<DataFile, Use>> over = new ArrayList<>();
        int excess = open.size() - max;
        for (Map.Entry<DataFile, Use> e : open.entrySet()) {
            if (over.size() >= excess) {
                break;
            }
            if (e.getKey() != file && !e.getKey().file().isDirty()) {
                over.add(e);
            }
        }
        for (Map.Entry<DataFile, Use> e : over) {
            release(e.getKey(), e.getValue());
        }
    }

    void used(DataFile file) {
        Use use = open.get(file);
        if (use != null) {
            use.lastUsedNanos = System.nanoTime();
        }
    }

    /** Stops tracking a file its namespace closes itself. */
    void forget(DataFile file) {
        open.remove(file);
    }

    /** Closes the files unused for the idle timeout, those whose path names another file or none, and any excess. */
    void sweep() {
        long now = System.nanoTime();
        int excess = open.size() - max;
        List<Map.Entry<DataFile, Use>> gone = new ArrayList<>();
        for (Map.Entry<DataFile, Use> e : open.entrySet()) {
            if (e.getKey().file().isDirty()) {
                continue;
            }
            if (excess > 0 || now - e.getValue().lastUsedNanos >= idleNanos || replaced(e.getKey(), e.getValue())) {
                gone.add(e);
                excess--;
            }
        }
        for (Map.Entry<DataFile, Use> e : gone) {
            release(e.getKey(), e.getValue());
        }
    }

    int size() {
        return open.size();
    }

    private void release(DataFile file, Use use) {
        open.remove(file);
        use.ns.released(file);
        try {
            file.close();
        } catch (IOException e) {
            LOG.warn("closing {}", file.path(), e);
        }
    }

    private static boolean replaced(DataFile file, Use use) {
        if (use.fileKey == null) {
            return false;
        }
        return !Objects.equals(use.fileKey, fileKey(file));
    }

    /** The identity of the file the path names now (device and inode), or null when there is none. */
    private static Object fileKey(DataFile file) {
        try {
            return Files.readAttributes(file.path(), BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warn("reading the attributes of {}", file.path(), e);
            return null;
        }
    }
}
