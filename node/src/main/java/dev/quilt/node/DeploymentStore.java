package dev.quilt.node;

import dev.quilt.common.codec.CodecException;
import dev.quilt.common.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The deployments this node accepted, one file per contract under {@code <data>/deployments}, so
 * that the desired state survives a restart of the agent.
 *
 * <pre>
 * &lt;contract id&gt;.deployment = format u8 (01) | signed deployment (DeploymentCodec)
 * </pre>
 * Each file is written atomically (temp file, fsync, rename, directory fsync): a crash leaves the
 * old version or the new one. A file that does not decode is reported, never silently skipped.
 *
 * <p>Thread-safe: methods are synchronized; writes are rare.
 */
final class DeploymentStore {
    private static final int FORMAT = 1;
    private static final String SUFFIX = ".deployment";
    private final Path dir;

    DeploymentStore(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    synchronized Optional<SignedDeployment> get(long contractId) throws IOException {
        try {
            return Optional.of(read(file(contractId)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    synchronized void put(SignedDeployment deployment) throws IOException {
        byte[] body = deployment.encode();
        byte[] bytes = new byte[body.length + 1];
        bytes[0] = FORMAT;
        System.arraycopy(body, 0, bytes, 1, body.length);
        AtomicFiles.write(file(deployment.contractId()), bytes);
    }

    synchronized void remove(long contractId) throws IOException {
        Files.deleteIfExists(file(contractId));
        AtomicFiles.syncDirectory(dir);
    }

    synchronized List<SignedDeployment> all() throws IOException {
        List<SignedDeployment> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                out.add(read(f));
            }
        }
        return out;
    }

    private Path file(long contractId) {
        return dir.resolve(contractId + SUFFIX);
    }

    private static SignedDeployment read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length == 0 || bytes[0] != FORMAT) {
            throw new IOException(file + ": format " + (bytes.length == 0 ? "missing" : bytes[0]) + " (expected: " + FORMAT + ")");
        }
        try {
            return SignedDeployment.decode(Arrays.copyOfRange(bytes, 1, bytes.length));
        } catch (CodecException e) {
            throw new IOException(file + ": corrupt deployment: " + e.getMessage(), e);
        }
    }
}
