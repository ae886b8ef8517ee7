package dev.quilt.fs;

import java.io.IOException;

/** A filesystem call's failure as the kernel should see it: a Linux errno. */
final class FsError extends IOException {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EIO = 5;
    static final int EEXIST = 17;
    static final int EXDEV = 18;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int EFBIG = 27;
    static final int ENAMETOOLONG = 36;
    static final int ENOTEMPTY = 39;

    final int errno;

    FsError(int errno, String message) {
        super(message);
        this.errno = errno;
    }
}
