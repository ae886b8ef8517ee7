package dev.quilt.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.cryptomator.jfuse.api.DirFiller;
import org.cryptomator.jfuse.api.Errno;
import org.cryptomator.jfuse.api.FileInfo;
import org.cryptomator.jfuse.api.FuseOperations;
import org.cryptomator.jfuse.api.Stat;
import org.cryptomator.jfuse.api.Statvfs;
import org.cryptomator.jfuse.api.TimeSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FUSE face of an {@link FsTree}: libfuse's high-level calls, by path, turned into tree operations and
 * errnos. Called from libfuse's worker threads, many at once.
 */
final class QuiltFs implements FuseOperations {
    private static final Logger LOG = LoggerFactory.getLogger(QuiltFs.class);
    private static final int RENAME_NOREPLACE = 1;
    private static final int BLOCK = 4096;

    private final FsTree tree;
    private final Errno errno;
    private final Path cacheDir;

    QuiltFs(FsTree tree, Errno errno, Path cacheDir) {
        this.tree = tree;
        this.errno = errno;
        this.cacheDir = cacheDir;
    }

    @Override
    public Errno errno() {
        return errno;
    }

    @Override
    public Set<Operation> supportedOperations() {
        return EnumSet.of(Operation.GET_ATTR, Operation.READLINK, Operation.MKDIR, Operation.UNLINK, Operation.RMDIR,
                Operation.SYMLINK, Operation.RENAME, Operation.CHMOD, Operation.CHOWN, Operation.TRUNCATE,
                Operation.OPEN, Operation.READ, Operation.WRITE, Operation.STATFS, Operation.FLUSH, Operation.RELEASE,
                Operation.FSYNC, Operation.OPEN_DIR, Operation.READ_DIR, Operation.RELEASE_DIR, Operation.FSYNCDIR,
                Operation.ACCESS, Operation.CREATE, Operation.UTIMENS);
    }

    /** Runs a call, turning its failure into {@code -errno}. */
    private interface Call {
        int run() throws IOException;
    }

    private int call(String op, String path, Call call) {
        try {
            return call.run();
        } catch (FsError e) {
            return -e.errno;
        } catch (IOException | RuntimeException e) {
            LOG.error("event=fs.call.failed op={} path=\"{}\" error=\"{}\"", op, path, e.getMessage());
            return -errno.eio();
        }
    }

    @Override
    public int getattr(String path, Stat stat, FileInfo fi) {
        return call("getattr", path, () -> {
            FsTree.Attr a = tree.getattr(path);
            fill(stat, a);
            return 0;
        });
    }

    private static void fill(Stat stat, FsTree.Attr a) {
        int type = switch (a.kind()) {
            case DIRECTORY -> Stat.S_IFDIR;
            case FILE -> Stat.S_IFREG;
            case SYMLINK -> Stat.S_IFLNK;
        };
        stat.setMode(type | a.mode());
        stat.setUid(a.uid());
        stat.setGid(a.gid());
        stat.setNLink((short) a.nlink());
        stat.setSize(a.size());
        Instant mtime = Instant.ofEpochMilli(a.mtimeMillis());
        stat.mTime().set(mtime);
        stat.cTime().set(mtime);
        stat.aTime().set(mtime);
    }

    @Override
    public int readlink(String path, ByteBuffer buf, long len) {
        return call("readlink", path, () -> {
            byte[] target = tree.readlink(path).getBytes(StandardCharsets.UTF_8);
            int n = (int) Math.min(target.length, len - 1);
            buf.put(target, 0, n);
            buf.put((byte) 0);
            return 0;
        });
    }

    @Override
    public int mkdir(String path, int mode) {
        return call("mkdir", path, () -> {
            tree.mkdir(path, mode);
            return 0;
        });
    }

    @Override
    public int unlink(String path) {
        return call("unlink", path, () -> {
            tree.unlink(path);
            return 0;
        });
    }

    @Override
    public int rmdir(String path) {
        return call("rmdir", path, () -> {
            tree.rmdir(path);
            return 0;
        });
    }

    @Override
    public int symlink(String target, String linkname) {
        return call("symlink", linkname, () -> {
            tree.symlink(target, linkname);
            return 0;
        });
    }

    @Override
    public int rename(String oldpath, String newpath, int flags) {
        return call("rename", oldpath, () -> {
            if ((flags & ~RENAME_NOREPLACE) != 0) {
                return -FsError.EINVAL; // RENAME_EXCHANGE and RENAME_WHITEOUT are not supported
            }
            tree.rename(oldpath, newpath, (flags & RENAME_NOREPLACE) != 0);
            return 0;
        });
    }

    @Override
    public int chmod(String path, int mode, FileInfo fi) {
        return call("chmod", path, () -> {
            tree.chmod(path, mode);
            return 0;
        });
    }

    @Override
    public int chown(String path, int uid, int gid, FileInfo fi) {
        return call("chown", path, () -> {
            tree.chown(path, uid, gid);
            return 0;
        });
    }

    @Override
    public int truncate(String path, long size, FileInfo fi) {
        return call("truncate", path, () -> {
            tree.truncate(path, size);
            return 0;
        });
    }

    @Override
    public int open(String path, FileInfo fi) {
        return call("open", path, () -> {
            if (tree.getattr(path).kind() == Entry.Kind.DIRECTORY) {
                return -FsError.EISDIR;
            }
            return 0;
        });
    }

    @Override
    public int create(String path, int mode, FileInfo fi) {
        return call("create", path, () -> {
            tree.create(path, mode);
            return 0;
        });
    }

    @Override
    public int read(String path, ByteBuffer buf, long count, long offset, FileInfo fi) {
        return call("read", path, () -> tree.read(path, offset, buf.limit((int) Math.min(buf.limit(), buf.position() + count))));
    }

    @Override
    public int write(String path, ByteBuffer buf, long count, long offset, FileInfo fi) {
        return call("write", path, () -> tree.write(path, offset, buf.limit((int) Math.min(buf.limit(), buf.position() + count))));
    }

    @Override
    public int statfs(String path, Statvfs statvfs) {
        return call("statfs", path, () -> {
            // free space is the cache disk's: dirty chunks live there until they are flushed
            long free = Files.getFileStore(cacheDir).getUsableSpace();
            long used = tree.usedBytes();
            statvfs.setBsize(BLOCK);
            statvfs.setFrsize(BLOCK);
            statvfs.setBlocks((used + free) / BLOCK);
            statvfs.setBfree(free / BLOCK);
            statvfs.setBavail(free / BLOCK);
            statvfs.setNameMax(255);
            return 0;
        });
    }

    @Override
    public int flush(String path, FileInfo fi) {
        return 0;
    }

    @Override
    public int release(String path, FileInfo fi) {
        return 0;
    }

    @Override
    public int fsync(String path, int datasync, FileInfo fi) {
        return call("fsync", path, () -> {
            tree.fsync(path);
            return 0;
        });
    }

    @Override
    public int opendir(String path, FileInfo fi) {
        return call("opendir", path, () -> {
            if (tree.getattr(path).kind() != Entry.Kind.DIRECTORY) {
                return -FsError.ENOTDIR;
            }
            return 0;
        });
    }

    @Override
    public int readdir(String path, DirFiller filler, long offset, FileInfo fi, int flags) {
        return call("readdir", path, () -> {
            filler.fill(".");
            filler.fill("..");
            for (String name : tree.list(path)) {
                filler.fill(name);
            }
            return 0;
        });
    }

    @Override
    public int releasedir(String path, FileInfo fi) {
        return 0;
    }

    @Override
    public int fsyncdir(String path, int datasync, FileInfo fi) {
        return call("fsyncdir", path, () -> {
            tree.syncMetadata();
            return 0;
        });
    }

    @Override
    public int access(String path, int mask) {
        return call("access", path, () -> {
            tree.getattr(path);
            return 0;
        });
    }

    @Override
    public int utimens(String path, TimeSpec atime, TimeSpec mtime, FileInfo fi) {
        return call("utimens", path, () -> {
            if (mtime.isUtimeNow()) {
                tree.setMtime(path, System.currentTimeMillis());
            } else if (!mtime.isUtimeOmit()) {
                tree.setMtime(path, mtime.get().toEpochMilli());
            }
            return 0;
        });
    }
}
