package dev.quilt.chain;

import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import java.util.List;

/**
 * The Merkle root over a block's transaction hashes, in block order, shaped as in RFC 6962
 * §2.1: the left subtree holds the largest power of two smaller than the count. A leaf is
 * {@code SHA-256(00 | txHash)}, an inner node {@code SHA-256(01 | left | right)}; no transactions
 * give 32 zero bytes.
 */
final class TransactionsRoot {
    private TransactionsRoot() {}

    static Hash256 of(List<Hash256> transactionHashes) {
        return transactionHashes.isEmpty() ? Hash256.ZERO : subtree(transactionHashes, 0, transactionHashes.size());
    }

    private static Hash256 subtree(List<Hash256> hashes, int from, int to) {
        int n = to - from;
        if (n == 1) {
            return Sha256.digest(new byte[] {0x00}, hashes.get(from).bytes());
        }
        int k = Integer.highestOneBit(n - 1);
        return Sha256.digest(new byte[] {0x01}, subtree(hashes, from, from + k).bytes(), subtree(hashes, from + k, to).bytes());
    }
}
