package dev.quilt.zdb.store;

import java.nio.file.Path;

/**
 * Events the store reports, in 0-db's hook vocabulary. Implementations must not block except where
 * a method says so; they are called on the owner thread.
 */
public interface StoreListener {

    /** Nothing listens. */
    StoreListener NONE = new StoreListener() { };

    default void namespacesInit(Path indexRoot, Path dataRoot) { }

    default void namespaceCreated(String name) { }

    default void namespaceUpdated(String name) { }

    default void namespaceDeleted(String name) { }

    default void namespaceReloaded(String name) { }

    /** The active files of {@code namespace} were closed and the next pair opened. */
    default void jumped(String namespace, Path oldIndex, Path newIndex, Path oldData, Path newData) { }

    /** Fired per namespace on close, with the files in use. */
    default void namespaceClosing(String name, Path index, Path data) { }

    /**
     * A closed data file is missing (for example offloaded to zstor). May block: return {@code true}
     * once the file has been put back, so the read is retried once.
     */
    default boolean missingData(Path dataFile) {
        return false;
    }

    /** Recovery cut a torn or corrupt tail off a file at start-up. */
    default void truncated(Path file, long offset, long bytesCut) { }
}
