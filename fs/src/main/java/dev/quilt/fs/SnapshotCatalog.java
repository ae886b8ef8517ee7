package dev.quilt.fs;

import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.io.AtomicFiles;
import dev.quilt.zstor.ObjectNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Snapshot names: name → manifest hash, kept in a local directory (one file per name) and in zstor as
 * {@code snapshot/<name>}, so another machine with the same zstor config finds a snapshot by name. A name
 * is only a pointer; what a node trusts is the hash, checked against the ledger when the snapshot was
 * published there.
 */
public final class SnapshotCatalog {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    static final String RECORD_PREFIX = "snapshot/";

    private final Path dir;
    private final ChunkStore store;

    public SnapshotCatalog(Path dir, ChunkStore store) {
        this.dir = dir;
        this.store = store;
    }

    /** @throws IllegalArgumentException naming the rule when {@code name} is not a valid snapshot name */
    public static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("snapshot name '" + name
                    + "': 1 to 64 of a-z 0-9 . _ -, starting with a letter or digit (the ledger's rule)");
        }
        return name;
    }

    public void record(String name, Hash256 hash) throws IOException {
        checkName(name);
        byte[] hex = (hash.hex() + "\n").getBytes(StandardCharsets.US_ASCII);
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(name), hex);
        store.putRecord(RECORD_PREFIX + name, hex);
    }

    /**
     * Forgets a name, locally and in zstor. Its chunks stay until {@link ChunkGc} finds no other snapshot
     * references them.
     *
     * @return the manifest hash the name pointed to, empty when it was not known
     */
    public Optional<Hash256> remove(String name) throws IOException {
        Optional<Hash256> hash = resolve(checkName(name));
        Files.deleteIfExists(dir.resolve(name));
        store.deleteRecord(RECORD_PREFIX + name);
        return hash;
    }

    /** A manifest hash given as 64 hex digits, or the hash a name points to, locally or in zstor. */
    public Optional<Hash256> resolve(String nameOrHash) throws IOException {
        if (HEX.matcher(nameOrHash).matches()) {
            return Optional.of(Hash256.fromHex(nameOrHash));
        }
        checkName(nameOrHash);
        Path local = dir.resolve(nameOrHash);
        byte[] hex;
        if (Files.exists(local)) {
            hex = Files.readAllBytes(local);
        } else {
            try {
                hex = store.getRecord(RECORD_PREFIX + nameOrHash);
            } catch (ObjectNotFoundException e) {
                return Optional.empty();
            }
        }
        return Optional.of(parseRecord(nameOrHash, hex));
    }

    static Hash256 parseRecord(String name, byte[] hex) throws IOException {
        String text = new String(hex, StandardCharsets.US_ASCII).strip();
        if (!HEX.matcher(text).matches()) {
            throw new IOException("snapshot record for '" + name + "' is not a hash: " + text);
        }
        return Hash256.fromHex(text);
    }
}
