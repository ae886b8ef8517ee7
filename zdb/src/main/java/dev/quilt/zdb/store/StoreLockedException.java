package dev.quilt.zdb.store;

import java.io.IOException;
import java.nio.file.Path;

/** Another process already serves these directories. */
public final class StoreLockedException extends IOException {
    private final Path lockFile;

    public StoreLockedException(Path lockFile) {
        super("another zdb is already using " + lockFile.getParent() + " (lock held on " + lockFile + ")");
        this.lockFile = lockFile;
    }

    public Path lockFile() {
        return lockFile;
    }
}
