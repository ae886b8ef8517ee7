package dev.quilt.common.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive, process-wide claim on a directory: an OS file lock on {@code <dir>/.lockfile}. The lock
 * disappears with the process, so a crash never leaves a stale lock behind.
 *
 * <p>Thread-safe.
 */
public final class DirectoryLock implements AutoCloseable {

    public static final String LOCK_FILE_NAME = ".lockfile";

    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path lockFile, FileChannel channel, FileLock lock) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock, creating the directory and lock file if needed.
     *
     * @throws DirectoryLockedException when another process (or another lock in this JVM) holds it
     */
    public static DirectoryLock acquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path lockFile = dir.resolve(LOCK_FILE_NAME);
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new DirectoryLockedException(lockFile);
        }
        return new DirectoryLock(lockFile, channel, lock);
    }

    public Path lockFile() {
        return lockFile;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
