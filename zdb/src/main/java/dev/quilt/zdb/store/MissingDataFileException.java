package dev.quilt.zdb.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A closed data file is not on disk (offloaded, for example to zstor) and the store's listener did not put it
 * back. The server expects this while a missing-data hook fetches the file, so it is not logged as a failure.
 */
public final class MissingDataFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    MissingDataFileException(Path path, String detail) {
        super("data file missing: " + path + detail);
        this.path = path;
    }

    /** The missing data file. */
    public Path path() {
        return path;
    }
}
