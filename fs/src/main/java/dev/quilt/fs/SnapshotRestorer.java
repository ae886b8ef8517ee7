package dev.quilt.fs;

import dev.quilt.common.crypto.Hash256;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies a whole snapshot out of zstor into a directory: what a node without thin provisioning does before
 * it can start. Chunks are fetched on virtual threads, a bounded number at once (so memory stays at
 * {@code inFlight} chunks), verified, and written at their offsets; holes are left as holes.
 */
public final class SnapshotRestorer {
    private final ChunkStore store;
    private final int inFlight;

    public SnapshotRestorer(ChunkStore store, int inFlight) {
        if (inFlight < 1) {
            throw new IllegalArgumentException("in flight " + inFlight + " < 1");
        }
        this.store = store;
        this.inFlight = inFlight;
    }

    /**
     * Restores snapshot {@code hash} into {@code target} (created if missing).
     *
     * @return the bytes fetched from zstor
     */
    public long restore(Hash256 hash, Path target) throws IOException {
        Manifest manifest = store.getManifest(hash);
        Files.createDirectories(target);
        AtomicLong fetched = new AtomicLong();
        Semaphore slots = new Semaphore(inFlight);
        List<FileChannel> open = new ArrayList<>();
        List<Future<?>> pending = new ArrayList<>();
        try (ExecutorService fetches = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                for (Entry e : manifest.entries()) {
                    Path p = target.resolve(e.path());
                    switch (e.kind()) {
                        case DIRECTORY -> Files.createDirectories(p);
                        case SYMLINK -> Files.createSymbolicLink(p, Path.of(e.linkTarget()));
                        case FILE -> {
                            FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                    StandardOpenOption.TRUNCATE_EXISTING);
                            open.add(ch);
                            long offset = 0;
                            for (ChunkRef c : e.chunks()) {
                                if (!c.isHole()) {
                                    long at = offset;
                                    acquire(slots);
                                    pending.add(fetches.submit(() -> {
                                        try {
                                            byte[] data = store.get(c.hash());
                                            ByteBuffer buffer = ByteBuffer.wrap(data);
                                            while (buffer.hasRemaining()) {
                                                ch.write(buffer, at + buffer.position());
                                            }
                                            fetched.addAndGet(data.length);
                                        } finally {
                                            slots.release();
                                        }
                                        return null;
                                    }));
                                }
                                offset += c.length();
                            }
                            // A trailing hole: nothing writes there, so the size comes from the manifest.
                            if (!e.chunks().isEmpty() && e.chunks().getLast().isHole()) {
                                ch.write(ByteBuffer.allocate(1), e.size() - 1);
                            }
                        }
                    }
                }
                await(pending);
            } finally {
                for (FileChannel ch : open) {
                    ch.close();
                }
            }
        }
        for (Entry e : manifest.entries()) {
            Path p = target.resolve(e.path());
            if (e.kind() != Entry.Kind.SYMLINK) {
                Files.setPosixFilePermissions(p, permissions(e.mode()));
                Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(e.mtimeMillis()));
            }
        }
        return fetched.get();
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(int mode) {
        java.nio.file.attribute.PosixFilePermission[] all = java.nio.file.attribute.PosixFilePermission.values();
        java.util.Set<java.nio.file.attribute.PosixFilePermission> set =
                java.util.EnumSet.noneOf(java.nio.file.attribute.PosixFilePermission.class);
        // values() runs OWNER_READ .. OTHERS_EXECUTE, bit 8 down to bit 0
        for (int i = 0; i < all.length; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                set.add(all[i]);
            }
        }
        return set;
    }

    private static void acquire(Semaphore slots) throws InterruptedIOException {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while restoring");
        }
    }

    private static void await(List<Future<?>> pending) throws IOException {
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while restoring");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException("chunk fetch failed: " + e.getCause(), e.getCause());
            }
        }
    }
}
