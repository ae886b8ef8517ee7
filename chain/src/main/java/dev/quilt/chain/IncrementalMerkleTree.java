package dev.quilt.chain;

import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@link SparseMerkleTree} layout, kept in a {@link MerkleNodeStore} and updated in place of
 * being rebuilt: setting or removing a key rewrites only the nodes on its path, O(path length)
 * hashes and node reads, and the root is the same as the from-scratch tree's over the same entries.
 *
 * <h2>Update</h2>
 * A subtree of one entry is that entry's leaf, at any depth. Inserting a key where another key's
 * leaf sits pushes both down until their paths part, leaving empty siblings above the split.
 * Removing a key collapses an inner node whose only non-empty child is a leaf into that leaf, and
 * the collapse repeats upwards, so the tree is always the canonical one for its entries.
 *
 * <p>Stateless: each method takes a root and returns a new one; nodes are added to the store and
 * never changed, so old roots stay readable. Thread-safety is the store's.
 */
final class IncrementalMerkleTree {
    private static final int LEAF = 0x00;

    private final MerkleNodeStore nodes;

    IncrementalMerkleTree(MerkleNodeStore nodes) {
        this.nodes = nodes;
    }

    /** The root after {@code key} is set to {@code value} under {@code root}. */
    Hash256 put(Hash256 root, byte[] key, byte[] value) {
        return insert(root, 0, new MerkleProof.Leaf(Sha256.digest(key), Sha256.digest(value)));
    }

    /** The root after {@code key} is removed from under {@code root}; the same root if it was absent. */
    Hash256 remove(Hash256 root, byte[] key) {
        return delete(root, 0, Sha256.digest(key));
    }

    /** A proof of {@code key}'s entry, or of its absence, under {@code root}. */
    MerkleProof prove(Hash256 root, byte[] key) {
        Hash256 keyHash = Sha256.digest(key);
        List<Hash256> siblings = new ArrayList<>();
        Hash256 node = root;
        for (int depth = 0; ; depth++) {
            if (node.equals(SparseMerkleTree.EMPTY)) {
                return new MerkleProof(siblings, Optional.empty());
            }
            byte[] bytes = load(node);
            if (bytes[0] == LEAF) {
                return new MerkleProof(siblings, Optional.of(leafOf(bytes)));
            }
            boolean right = SparseMerkleTree.bit(keyHash, depth) == 1;
            siblings.add(right ? left(bytes) : right(bytes));
            node = right ? right(bytes) : left(bytes);
        }
    }

    private Hash256 insert(Hash256 node, int depth, MerkleProof.Leaf leaf) {
        if (node.equals(SparseMerkleTree.EMPTY)) {
            return storeLeaf(leaf);
        }
        byte[] bytes = load(node);
        if (bytes[0] == LEAF) {
            MerkleProof.Leaf existing = leafOf(bytes);
            return existing.keyHash().equals(leaf.keyHash()) ? storeLeaf(leaf) : split(existing, leaf, depth);
        }
        return SparseMerkleTree.bit(leaf.keyHash(), depth) == 0
                ? storeInner(insert(left(bytes), depth + 1, leaf), right(bytes))
                : storeInner(left(bytes), insert(right(bytes), depth + 1, leaf));
    }

    /** The subtree at {@code depth} holding exactly the two leaves {@code a} and {@code b}. */
    private Hash256 split(MerkleProof.Leaf a, MerkleProof.Leaf b, int depth) {
        int bitA = SparseMerkleTree.bit(a.keyHash(), depth);
        int bitB = SparseMerkleTree.bit(b.keyHash(), depth);
        if (bitA != bitB) {
            Hash256 ha = storeLeaf(a);
            Hash256 hb = storeLeaf(b);
            return bitA == 0 ? storeInner(ha, hb) : storeInner(hb, ha);
        }
        Hash256 below = split(a, b, depth + 1);
        return bitA == 0 ? storeInner(below, SparseMerkleTree.EMPTY) : storeInner(SparseMerkleTree.EMPTY, below);
    }

    private Hash256 delete(Hash256 node, int depth, Hash256 keyHash) {
        if (node.equals(SparseMerkleTree.EMPTY)) {
            return node;
        }
        byte[] bytes = load(node);
        if (bytes[0] == LEAF) {
            return leafOf(bytes).keyHash().equals(keyHash) ? SparseMerkleTree.EMPTY : node;
        }
        Hash256 left = left(bytes);
        Hash256 right = right(bytes);
        if (SparseMerkleTree.bit(keyHash, depth) == 0) {
            left = delete(left, depth + 1, keyHash);
        } else {
            right = delete(right, depth + 1, keyHash);
        }
        // A subtree left with a single leaf is that leaf: collapse, so the tree stays canonical.
        if (left.equals(SparseMerkleTree.EMPTY) && isLeafOrEmpty(right)) {
            return right;
        }
        if (right.equals(SparseMerkleTree.EMPTY) && isLeafOrEmpty(left)) {
            return left;
        }
        return storeInner(left, right);
    }

    private boolean isLeafOrEmpty(Hash256 node) {
        return node.equals(SparseMerkleTree.EMPTY) || load(node)[0] == LEAF;
    }

    private Hash256 storeLeaf(MerkleProof.Leaf leaf) {
        return store(LEAF, leaf.keyHash(), leaf.valueHash());
    }

    private Hash256 storeInner(Hash256 left, Hash256 right) {
        return store(0x01, left, right);
    }

    private Hash256 store(int tag, Hash256 a, Hash256 b) {
        byte[] bytes = new byte[1 + 2 * Hash256.LENGTH];
        bytes[0] = (byte) tag;
        System.arraycopy(a.bytes(), 0, bytes, 1, Hash256.LENGTH);
        System.arraycopy(b.bytes(), 0, bytes, 1 + Hash256.LENGTH, Hash256.LENGTH);
        Hash256 hash = Sha256.digest(bytes);
        nodes.put(hash, bytes);
        return hash;
    }

    private byte[] load(Hash256 hash) {
        byte[] bytes = nodes.get(hash);
        if (bytes == null) {
            throw new IllegalStateException("Merkle node missing from the store: " + hash);
        }
        return bytes;
    }

    private static MerkleProof.Leaf leafOf(byte[] bytes) {
        return new MerkleProof.Leaf(slice(bytes, 1), slice(bytes, 1 + Hash256.LENGTH));
    }

    private static Hash256 left(byte[] bytes) {
        return slice(bytes, 1);
    }

    private static Hash256 right(byte[] bytes) {
        return slice(bytes, 1 + Hash256.LENGTH);
    }

    private static Hash256 slice(byte[] bytes, int from) {
        return Hash256.of(java.util.Arrays.copyOfRange(bytes, from, from + Hash256.LENGTH));
    }
}
