package dev.quilt.zstor.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;

/**
 * The daemon's pid file (0-stor_v2's {@code pid_file}): its process id and a newline, written at start
 * and removed at exit. A file left by a daemon that died (its process is gone, or the file does not
 * hold a number) is replaced; one that names a running process is refused, so two daemons do not
 * share one pid file.
 */
final class PidFile implements AutoCloseable {

    private final Path path;
    private final long pid;

    private PidFile(Path path, long pid) {
        this.path = path;
        this.pid = pid;
    }

    static PidFile create(Path path) throws IOException {
        long self = ProcessHandle.current().pid();
        OptionalLong existing = read(path);
        if (existing.isPresent() && existing.getAsLong() != self
                && ProcessHandle.of(existing.getAsLong()).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IOException("pid_file " + path + " names process " + existing.getAsLong()
                    + ", which is running: another zstor daemon? (stop it, or remove the file if it is not one)");
        }
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // Written next to it and renamed, so a reader never sees a half-written number.
        Path temp = Files.createTempFile(parent, "." + path.getFileName(), ".tmp");
        try {
            Files.writeString(temp, self + "\n", StandardCharsets.US_ASCII);
            Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return new PidFile(path, self);
    }

    /** The pid a file holds; empty when there is no file or it holds no number. */
    static OptionalLong read(Path path) throws IOException {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(path, StandardCharsets.US_ASCII).strip()));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    Path path() {
        return path;
    }

    /** Removes the file, unless it no longer holds this process's pid (another daemon took it over). */
    @Override
    public void close() throws IOException {
        if (read(path).equals(OptionalLong.of(pid))) {
            Files.deleteIfExists(path);
        }
    }
}
