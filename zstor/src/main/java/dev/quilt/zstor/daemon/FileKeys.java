package dev.quilt.zstor.daemon;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Object keys for local files, computed the same way by {@code quilt zstor store}, {@code retrieve} and the
 * daemon, so a file stored one way can be found the other.
 */
public final class FileKeys {
    /** Keys of offloaded zdb data files start with this, then the file's path under the data directory. */
    public static final String DATA_FILE_PREFIX = "zdb/";

    private FileKeys() { }

    /**
     * The key of {@code file}: its path relative to {@code root} when a root is configured (0-stor_v2's rule, so
     * a tree moved to another root keeps its keys), else its absolute, normalized path.
     *
     * @throws IllegalArgumentException when {@code file} is not under {@code root}, naming both (0-stor_v2
     *     refused such files too, and users were left wondering why: zos#1444)
     */
    public static String forFile(Path file, Optional<Path> root) {
        Path absolute = file.toAbsolutePath().normalize();
        if (root.isEmpty()) {
            return absolute.toString();
        }
        Path base = root.get().toAbsolutePath().normalize();
        if (!absolute.startsWith(base) || absolute.equals(base)) {
            throw new IllegalArgumentException(file + " is outside the configured root " + base
                    + " (files are stored under their path relative to root: move the file under it, or name the"
                    + " object with --key)");
        }
        return separators(base.relativize(absolute));
    }

    /**
     * The key of a zdb data file: {@value #DATA_FILE_PREFIX} and its path under {@code dataDir}
     * ({@code zdb/default/d3}), so the keys survive moving the data directory to another machine.
     *
     * @throws IllegalArgumentException when the file is not under {@code dataDir}
     */
    public static String forDataFile(Path dataDir, Path dataFile) {
        Path base = dataDir.toAbsolutePath().normalize();
        Path absolute = dataFile.toAbsolutePath().normalize();
        if (!absolute.startsWith(base) || absolute.equals(base)) {
            throw new IllegalArgumentException("data file " + dataFile + " is not under zdb_data_dir_path " + base);
        }
        return DATA_FILE_PREFIX + separators(base.relativize(absolute));
    }

    private static String separators(Path relative) {
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }
}
