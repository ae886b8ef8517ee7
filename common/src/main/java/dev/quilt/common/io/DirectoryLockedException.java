package dev.quilt.common.io;

import java.io.IOException;
import java.nio.file.Path;

/** Another process holds the {@link DirectoryLock} of a directory. */
public final class DirectoryLockedException extends IOException {
    private final Path lockFile;

    public DirectoryLockedException(Path lockFile) {
        super("lock held on " + lockFile + " (expected: no other process using " + lockFile.getParent() + ")");
        this.lockFile = lockFile;
    }

    public Path lockFile() {
        return lockFile;
    }
}
