package dev.quilt.zdb.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how a {@link Store} keeps its files.
 *
 * @param dataRoot      directory holding one sub-directory of data files per namespace
 * @param indexRoot     directory holding one sub-directory of index files and the descriptor per namespace;
 *                      must differ from {@code dataRoot}
 * @param forcedMode    the mode every namespace must use, or empty for mixed mode (each namespace chooses)
 * @param dataFileSize  size at which the active data file is closed and the next one opened
 *                      (512 KiB .. 4 GiB - 1)
 * @param syncEveryWrite {@code --sync}: a write is acknowledged only once it is on disk
 * @param syncInterval  {@code --synctime}: when not zero, unsynced writes are forced to disk at least this often
 * @param defaultMaxSize runtime maxsize of the default namespace (0 = unlimited), not persisted
 * @param openDataFiles how many closed data files the store keeps open at most (the active ones are always open)
 * @param dataFileIdleTimeout a closed data file unused this long is closed; it is reopened on its next read
 */
public record StoreConfig(
        Path dataRoot,
        Path indexRoot,
        Optional<Mode> forcedMode,
        long dataFileSize,
        boolean syncEveryWrite,
        Duration syncInterval,
        long defaultMaxSize,
        int openDataFiles,
        Duration dataFileIdleTimeout) {

    public static final long MIN_DATA_FILE_SIZE = 512 * 1024;
    public static final long MAX_DATA_FILE_SIZE = 0xFFFF_FFFFL - 1;
    public static final long DEFAULT_DATA_FILE_SIZE = 256L * 1024 * 1024;
    public static final int DEFAULT_OPEN_DATA_FILES = 32;
    public static final Duration DEFAULT_DATA_FILE_IDLE_TIMEOUT = Duration.ofSeconds(10);

    public StoreConfig {
        if (dataFileSize < MIN_DATA_FILE_SIZE || dataFileSize > MAX_DATA_FILE_SIZE) {
            throw new IllegalArgumentException("datasize: " + dataFileSize
                    + " (expected: between " + MIN_DATA_FILE_SIZE + " and " + MAX_DATA_FILE_SIZE + " bytes)");
        }
        if (defaultMaxSize < 0) {
            throw new IllegalArgumentException("maxsize: " + defaultMaxSize + " (expected: >= 0)");
        }
        if (openDataFiles < 1) {
            // The file a read has just opened is never closed by that opening, so a limit of 0 could not hold.
            throw new IllegalArgumentException("open data files: " + openDataFiles + " (expected: >= 1)");
        }
        if (dataFileIdleTimeout.isNegative() || dataFileIdleTimeout.isZero()) {
            throw new IllegalArgumentException("data file idle timeout: " + dataFileIdleTimeout + " (expected: > 0)");
        }
    }

    /** With the default limits on open closed data files. */
    public StoreConfig(Path dataRoot, Path indexRoot, Optional<Mode> forcedMode, long dataFileSize,
                       boolean syncEveryWrite, Duration syncInterval, long defaultMaxSize) {
        this(dataRoot, indexRoot, forcedMode, dataFileSize, syncEveryWrite, syncInterval, defaultMaxSize,
                DEFAULT_OPEN_DATA_FILES, DEFAULT_DATA_FILE_IDLE_TIMEOUT);
    }

    /** This configuration keeping at most {@code max} closed data files open, each for at most {@code idle} unused. */
    public StoreConfig withOpenDataFiles(int max, Duration idle) {
        return new StoreConfig(dataRoot, indexRoot, forcedMode, dataFileSize, syncEveryWrite, syncInterval,
                defaultMaxSize, max, idle);
    }

    /** Defaults matching 0-db: ./zdb-data, ./zdb-index, mixed mode, 256 MiB files, no sync. */
    public static StoreConfig defaults(Path dataRoot, Path indexRoot) {
        return new StoreConfig(dataRoot, indexRoot, Optional.empty(), DEFAULT_DATA_FILE_SIZE, false, Duration.ZERO, 0);
    }
}
