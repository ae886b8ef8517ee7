package dev.quilt.fs;

import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import dev.quilt.zstor.ObjectNotFoundException;
import dev.quilt.zstor.Zstor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Chunks and manifests in zstor, content-addressed: a chunk is the object {@code chunk/<hex sha256>}, a
 * manifest {@code manifest/<hex sha256>}. Everything read back is hashed and compared with its name before
 * it is returned, so a store (or a backend) that serves other bytes is caught, not believed.
 * Thread-safe.
 */
public final class ChunkStore {
    private final Zstor zstor;

    public ChunkStore(Zstor zstor) {
        this.zstor = zstor;
    }

    static final String CHUNK_PREFIX = "chunk/";
    static final String MANIFEST_PREFIX = "manifest/";

    static String chunkKey(Hash256 hash) {
        return CHUNK_PREFIX + hash.hex();
    }

    static String manifestKey(Hash256 hash) {
        return MANIFEST_PREFIX + hash.hex();
    }

    /** Whether the chunk is already stored: one metadata read, no shards. */
    public boolean contains(Hash256 hash) throws IOException {
        try {
            zstor.stat(chunkKey(hash));
            return true;
        } catch (ObjectNotFoundException e) {
            return false;
        }
    }

    /**
     * Stores {@code data[0..length)} under its hash unless it is there already.
     *
     * @return whether bytes were uploaded (false: deduplicated)
     */
    public boolean put(Hash256 hash, byte[] data, int length) throws IOException {
        if (contains(hash)) {
            return false;
        }
        zstor.store(chunkKey(hash), new ByteArrayInputStream(data, 0, length), n -> { });
        return true;
    }

    /**
     * The chunk's plaintext, verified against its hash.
     *
     * @throws ObjectNotFoundException when no backend knows it
     * @throws CorruptChunkException when the bytes served do not hash to its name
     */
    public byte[] get(Hash256 hash) throws IOException {
        byte[] data = retrieve(chunkKey(hash));
        verify(chunkKey(hash), hash, data);
        return data;
    }

    /** Stores a manifest and returns its hash. */
    public Hash256 putManifest(Manifest manifest) throws IOException {
        byte[] encoded = manifest.encode();
        Hash256 hash = Sha256.digest(encoded);
        zstor.store(manifestKey(hash), new ByteArrayInputStream(encoded), n -> { });
        return hash;
    }

    /**
     * The manifest with this hash, verified and decoded.
     *
     * @throws CorruptChunkException when the stored bytes are not that manifest, or not a manifest at all
     */
    public Manifest getManifest(Hash256 hash) throws IOException {
        byte[] encoded = retrieve(manifestKey(hash));
        verify(manifestKey(hash), hash, encoded);
        try {
            return ManifestCodec.INSTANCE.decode(encoded);
        } catch (CodecException e) {
            throw new CorruptChunkException(manifestKey(hash) + " is not a valid manifest: " + e.getMessage());
        }
    }

    /** Stores a small named record (a snapshot name → manifest hash). */
    void putRecord(String key, byte[] value) throws IOException {
        zstor.store(key, new ByteArrayInputStream(value), n -> { });
    }

    byte[] getRecord(String key) throws IOException {
        return retrieve(key);
    }

    /** Deletes any object of the store (a record, a chunk, a manifest); false when it was not there. */
    boolean deleteRecord(String key) throws IOException {
        return zstor.delete(key);
    }

    /** Every object in the store, in key order. */
    java.util.List<dev.quilt.zstor.ObjectInfo> list() throws IOException {
        return zstor.list();
    }

    private byte[] retrieve(String key) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        zstor.retrieve(key, out, n -> { });
        return out.toByteArray();
    }

    private static void verify(String key, Hash256 expected, byte[] data) throws CorruptChunkException {
        Hash256 actual = Sha256.digest(data);
        if (!actual.equals(expected)) {
            throw new CorruptChunkException(key + " hashes to " + actual.hex() + ", not to its name");
        }
    }

    /** A chunk of zeros only: a hole, never stored. */
    static boolean isZero(byte[] data, int length) {
        for (int i = 0; i < length; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
