package dev.quilt.chain;

import dev.quilt.common.crypto.Hash256;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nodes of {@link IncrementalMerkleTree}s, content-addressed: each node is stored under the
 * SHA-256 of its 65-byte encoding ({@code 00 | keyHash | valueHash} for a leaf,
 * {@code 01 | left | right} for an inner node), which is exactly its hash in the tree. Roots of
 * different versions share every unchanged subtree.
 *
 * <p>Nodes are only ever added, so any number of readers may share one store while one writer
 * adds the nodes of a new version. Old versions are not pruned yet.
 */
interface MerkleNodeStore {

    /** The encoding of the node with hash {@code hash}, or null when unknown. */
    byte[] get(Hash256 hash);

    void put(Hash256 hash, byte[] node);

    /** A store in memory, thread-safe. */
    static MerkleNodeStore inMemory() {
        ConcurrentHashMap<Hash256, byte[]> nodes = new ConcurrentHashMap<>();
        return new MerkleNodeStore() {
            @Override
            public byte[] get(Hash256 hash) {
                return nodes.get(hash);
            }

            @Override
            public void put(Hash256 hash, byte[] node) {
                nodes.putIfAbsent(hash, node);
            }
        };
    }
}
