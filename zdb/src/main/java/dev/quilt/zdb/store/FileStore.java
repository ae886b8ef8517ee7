package dev.quilt.zdb.store;

import java.io.IOException;
import java.util.concurrent.Executor;

/** Placeholder until the file-backed store lands. */
final class FileStore {
    private FileStore() { }

    static Store open(StoreConfig config, StoreListener listener, Executor owner) throws IOException {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
