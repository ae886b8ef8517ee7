package dev.quilt.node;

import dev.quilt.common.crypto.Ed25519KeyPair;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The node's X25519 sealing key: owners seal secrets to its public half ({@link SecretSealer}),
 * the node opens them with the private half. Kept as the 32-byte private scalar in a file of mode
 * 0600, made on first start.
 *
 * <p>Immutable; thread-safe.
 */
final class SealingKey {
    private final byte[] privateKey;
    private final byte[] publicKey;

    private SealingKey(byte[] privateKey) {
        this.privateKey = privateKey;
        this.publicKey = SecretSealer.publicKeyOf(privateKey);
    }

    static SealingKey loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] fresh = new byte[SecretSealer.KEY_LENGTH];
            new SecureRandom().nextBytes(fresh);
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path partial = dir.resolve(file.getFileName() + ".partial");
            Files.deleteIfExists(partial);
            try (SeekableByteChannel out = Files.newByteChannel(partial, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")))) {
                out.write(java.nio.ByteBuffer.wrap(fresh));
            }
            Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length != SecretSealer.KEY_LENGTH) {
            throw new IOException(file + ": " + key.length + " bytes (expected: a " + SecretSealer.KEY_LENGTH + "-byte X25519 key)");
        }
        return new SealingKey(key);
    }

    byte[] publicKey() {
        return publicKey.clone();
    }

    /** Opens a secret sealed to this key for this chain, node and contract; throws IllegalArgumentException otherwise. */
    byte[] open(String chainId, long nodeId, long contractId, Workload.SealedSecret secret) {
        return SecretSealer.open(privateKey, chainId, nodeId, contractId, secret);
    }

    /** What the intake publishes: the key and the node key's signature over it for this chain and node. */
    Map<String, String> published(Ed25519KeyPair nodeKey, String chainId, long nodeId) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("key", HexFormat.of().formatHex(publicKey));
        out.put("signature", HexFormat.of().formatHex(nodeKey.sign(SecretSealer.keyMessage(chainId, nodeId, publicKey))));
        return out;
    }
}
