package dev.quilt.chain;

import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import java.util.List;
import java.util.Optional;

/**
 * A proof that a key has a value, or has none, under a {@link SparseMerkleTree} root.
 *
 * <p>{@code siblings.get(i)} is the hash of the subtree beside the path at depth {@code i}
 * (from the root down). The path ends where the key's subtree holds no entry or exactly one:
 * {@code leaf} is that entry, absent for an empty subtree. For an inclusion proof the leaf is the
 * key's own; for an absence proof it is empty or another key's leaf sharing the path so far.
 */
public record MerkleProof(List<Hash256> siblings, Optional<Leaf> leaf) {

    /** An entry as the tree stores it: hashes of the key and of the value. */
    public record Leaf(Hash256 keyHash, Hash256 valueHash) {}

    public MerkleProof {
        siblings = List.copyOf(siblings);
        if (siblings.size() > SparseMerkleTree.DEPTH) {
            throw new IllegalArgumentException("proof deeper than " + SparseMerkleTree.DEPTH);
        }
    }

    /** True when this proves that {@code key} maps to {@code value} under {@code root}. */
    public boolean provesInclusion(Hash256 root, byte[] key, byte[] value) {
        Hash256 keyHash = Sha256.digest(key);
        Leaf expected = new Leaf(keyHash, Sha256.digest(value));
        return leaf.isPresent() && leaf.get().equals(expected) && fold(keyHash, SparseMerkleTree.leafHash(expected)).equals(root);
    }

    /** True when this proves that {@code key} has no value under {@code root}. */
    public boolean provesAbsence(Hash256 root, byte[] key) {
        Hash256 keyHash = Sha256.digest(key);
        if (leaf.isEmpty()) {
            return fold(keyHash, SparseMerkleTree.EMPTY).equals(root);
        }
        Leaf other = leaf.get();
        // Another key's leaf proves absence only where the path leads: it must share every bit so far.
        return !other.keyHash().equals(keyHash)
                && SparseMerkleTree.samePrefix(other.keyHash(), keyHash, siblings.size())
                && fold(keyHash, SparseMerkleTree.leafHash(other)).equals(root);
    }

    private Hash256 fold(Hash256 keyHash, Hash256 bottom) {
        Hash256 node = bottom;
        for (int depth = siblings.size() - 1; depth >= 0; depth--) {
            Hash256 sibling = siblings.get(depth);
            node = SparseMerkleTree.bit(keyHash, depth) == 0
                    ? SparseMerkleTree.nodeHash(node, sibling)
                    : SparseMerkleTree.nodeHash(sibling, node);
        }
        return node;
    }
}
