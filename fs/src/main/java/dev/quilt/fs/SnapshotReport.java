package dev.quilt.fs;

import dev.quilt.common.crypto.Hash256;

/**
 * What {@link Snapshotter#create} did.
 *
 * @param hash the manifest's hash, the snapshot's identity
 * @param chunks non-hole chunks in the tree
 * @param uploadedChunks chunks that were not in the store yet
 * @param uploadedBytes their plaintext bytes
 */
public record SnapshotReport(Hash256 hash, Manifest manifest, long files, long bytes, long chunks,
        long uploadedChunks, long uploadedBytes) {
}
