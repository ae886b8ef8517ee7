package dev.quilt.zstor;

import dev.quilt.zstor.config.ZstorConfig;
import dev.quilt.zstor.pipeline.BufferAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Dispersed, encrypted, erasure-coded object storage over zdb backends: the whole public API of
 * the module, apart from configuration.
 *
 * <p>An object is named by a key of 1..255 UTF-8 bytes. Storing a key that exists replaces the
 * object: the new version becomes visible at once when its metadata is written, and the old
 * version's shards are deleted afterwards.
 *
 * <p>Implementations are thread-safe; many objects may be stored and retrieved at once.
 */
public interface Zstor extends AutoCloseable {

    /** Opens a store over the configured backends. Connects lazily; never fails for an unreachable backend. */
    static Zstor open(ZstorConfig config) {
        return new DefaultZstor(config, Engine.Tuning.DEFAULTS, BufferAllocator.heap());
    }

    /**
     * Streams {@code in} to the backends: stripes, compression, encryption, Reed-Solomon, placement.
     * Memory does not grow with the object's size.
     *
     * @param progress called with the plaintext bytes stored so far, from the calling thread
     * @throws ZstorException when fewer shards than the write quorum could be written, or the
     *     metadata could not reach its write quorum; nothing of the new version is then visible
     */
    ObjectInfo store(String key, InputStream in, LongConsumer progress) throws IOException;

    /**
     * Writes the object's bytes to {@code out}, reading any k healthy shards per stripe, fastest
     * backends first. Never writes a byte that did not verify.
     *
     * @throws ObjectNotFoundException when no metadata backend knows the key
     * @throws UnrecoverableObjectException when a stripe has fewer than k good shards, naming them
     */
    ObjectInfo retrieve(String key, OutputStream out, LongConsumer progress) throws IOException;

    /** The object's metadata without reading its shards. @throws ObjectNotFoundException */
    ObjectInfo stat(String key) throws IOException;

    /** Reads and verifies every shard of the object (a scrub): what is missing, corrupt or unreachable. */
    CheckReport check(String key) throws IOException;

    /**
     * Rewrites the object's missing and corrupt shards, onto their own backend when it is healthy
     * and onto another one chosen by the placement policy when it is not, then writes new metadata.
     */
    RebuildReport rebuild(String key) throws IOException;

    /** Every stored object, from the metadata backends, in key order. */
    List<ObjectInfo> list() throws IOException;

    /**
     * Deletes the object's metadata and shards. A metadata backend that was down during the delete
     * does not bring the object back.
     *
     * @return false when the key was not stored
     */
    boolean delete(String key) throws IOException;

    /** Every data and metadata backend: reachable or not, free space, what it holds. */
    List<BackendStatus> status();

    @Override
    void close();
}
