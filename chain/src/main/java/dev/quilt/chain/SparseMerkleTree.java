package dev.quilt.chain;

import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A sparse Merkle tree over 256-bit key hashes, with subtrees of one entry compressed to that
 * entry's leaf (the Jellyfish/Diem layout).
 *
 * <h2>Hashes</h2>
 * <ul>
 *   <li>empty subtree: 32 zero bytes;</li>
 *   <li>a subtree holding exactly one entry: {@code SHA-256(00 | keyHash | valueHash)}, whatever its depth;</li>
 *   <li>any other subtree: {@code SHA-256(01 | left | right)}, left being the keys whose bit at this depth is 0.</li>
 * </ul>
 * The prefixes keep a leaf from ever being taken for an inner node (RFC 6962's domain
 * separation). The root depends only on the set of entries, never on insertion order, and both
 * inclusion and absence can be proven ({@link MerkleProof}).
 *
 * <p>Immutable. The root is recomputed from the sorted entries, O(n · log n) per call; that is
 * enough for block-by-block roots of the in-memory ledger, and a store-backed tree with cached
 * subtrees will replace it along with the RocksDB state.
 */
final class SparseMerkleTree {
    static final int DEPTH = 256;
    static final Hash256 EMPTY = Hash256.ZERO;
    private static final byte[] LEAF = {0x00};
    private static final byte[] NODE = {0x01};

    /** keyHash → valueHash, sorted by key hash: the order of the tree's leaves left to right. */
    private final List<MerkleProof.Leaf> leaves;

    private SparseMerkleTree(List<MerkleProof.Leaf> leaves) {
        this.leaves = leaves;
    }

    /** The tree of {@code entries} (key → value), each hashed with SHA-256. */
    static SparseMerkleTree of(Map<byte[], byte[]> entries) {
        TreeMap<Hash256, Hash256> sorted = new TreeMap<>();
        entries.forEach((k, v) -> sorted.put(Sha256.digest(k), Sha256.digest(v)));
        return new SparseMerkleTree(sorted.entrySet().stream()
                .map(e -> new MerkleProof.Leaf(e.getKey(), e.getValue())).toList());
    }

    Hash256 root() {
        return subtree(0, leaves.size(), 0);
    }

    MerkleProof prove(byte[] key) {
        Hash256 keyHash = Sha256.digest(key);
        List<Hash256> siblings = new ArrayList<>();
        int from = 0;
        int to = leaves.size();
        int depth = 0;
        while (to - from > 1) {
            int split = split(from, to, depth);
            if (bit(keyHash, depth) == 0) {
                siblings.add(subtree(split, to, depth + 1));
                to = split;
            } else {
                siblings.add(subtree(from, split, depth + 1));
                from = split;
            }
            depth++;
        }
        Optional<MerkleProof.Leaf> leaf = to - from == 1 ? Optional.of(leaves.get(from)) : Optional.empty();
        return new MerkleProof(siblings, leaf);
    }

    /** The hash of the subtree holding {@code leaves[from, to)}, all sharing their first {@code depth} bits. */
    private Hash256 subtree(int from, int to, int depth) {
        if (to == from) {
            return EMPTY;
        }
        if (to - from == 1) {
            return leafHash(leaves.get(from));
        }
        int split = split(from, to, depth);
        return nodeHash(subtree(from, split, depth + 1), subtree(split, to, depth + 1));
    }

    /** The first index in {@code [from, to)} whose key has bit {@code depth} set (the leaves are sorted). */
    private int split(int from, int to, int depth) {
        int i = from;
        while (i < to && bit(leaves.get(i).keyHash(), depth) == 0) {
            i++;
        }
        return i;
    }

    static Hash256 leafHash(MerkleProof.Leaf leaf) {
        return Sha256.digest(LEAF, leaf.keyHash().bytes(), leaf.valueHash().bytes());
    }

    static Hash256 nodeHash(Hash256 left, Hash256 right) {
        return Sha256.digest(NODE, left.bytes(), right.bytes());
    }

    /** Bit {@code depth} of the hash, most significant bit of the first byte first. */
    static int bit(Hash256 hash, int depth) {
        return (hash.bytes()[depth >>> 3] >>> (7 - (depth & 7))) & 1;
    }

    static boolean samePrefix(Hash256 a, Hash256 b, int bits) {
        for (int i = 0; i < bits; i++) {
            if (bit(a, i) != bit(b, i)) {
                return false;
            }
        }
        return true;
    }
}
