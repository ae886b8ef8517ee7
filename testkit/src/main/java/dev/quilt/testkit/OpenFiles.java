package dev.quilt.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files this process holds open, as Linux's {@code /proc/self/fd} shows them: what matters for descriptor
 * limits and for disk space, whatever the code under test believes it holds.
 *
 * <p>A file deleted while open is listed as {@code <path> (deleted)}: its blocks stay allocated until the
 * descriptor is closed. Linux only.
 */
public final class OpenFiles {
    private static final String DELETED = " (deleted)";

    private OpenFiles() { }

    /** The targets of this process's descriptors that lie under {@code dir}, one per descriptor (a file opened twice is listed twice). */
    public static List<String> under(Path dir) {
        String prefix;
        try {
            prefix = dir.toRealPath() + "/";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith(prefix)) {
                        out.add(target);
                    }
                } catch (NoSuchFileException e) {
                    // Closed since the listing (the listing's own descriptor, or another thread's file).
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The files under {@code dir} that were deleted while this process still holds them open. */
    public static List<String> deletedUnder(Path dir) {
        return under(dir).stream().filter(t -> t.endsWith(DELETED)).toList();
    }
}
