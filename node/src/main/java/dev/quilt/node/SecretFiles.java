package dev.quilt.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A process's opened secrets, as files in its private directory only: {@code <root>/.secrets/<name>}
 * of mode 0400, which the sandbox shows as {@code /work/.secrets/<name>}. Each file is created
 * with its mode, never readable by others even for a moment; the directory is rewritten on every
 * start so that a secret the document dropped is gone. Nothing here logs a secret's bytes.
 */
final class SecretFiles {
    static final String DIR = ".secrets";

    private SecretFiles() {}

    static void write(Path root, Map<String, byte[]> secrets) throws IOException {
        Path dir = root.resolve(DIR);
        delete(dir);
        if (secrets.isEmpty()) {
            return;
        }
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        for (Map.Entry<String, byte[]> s : secrets.entrySet()) {
            try (SeekableByteChannel out = Files.newByteChannel(dir.resolve(s.getKey()),
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--------")))) {
                out.write(ByteBuffer.wrap(s.getValue()));
            }
        }
    }

    /** Removes a directory tree (a process's secrets, or its whole directory when it is removed). */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
