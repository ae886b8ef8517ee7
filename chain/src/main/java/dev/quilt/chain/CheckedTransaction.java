package dev.quilt.chain;

/**
 * A transaction whose signature has been checked for one chain id, so that a replica verifies each
 * signature once: before the log on the leader, or on a pool while the log goes on elsewhere.
 *
 * <p>Verification is a pure function of the signed bytes and the chain id, so applying a checked
 * transaction gives the same outcome as verifying it during {@link Ledger#apply}; replay stays
 * identical on every replica.
 */
record CheckedTransaction(SignedTransaction transaction, String chainId, boolean signatureValid) {

    /** Verifies {@code transaction}'s signature for {@code chainId} now. */
    static CheckedTransaction verify(SignedTransaction transaction, String chainId) {
        return new CheckedTransaction(transaction, chainId, transaction.verify(chainId));
    }

    /** Whether the signature verifies for {@code chain}: the recorded answer, or a fresh one for another chain id. */
    boolean verifiesFor(String chain) {
        return chainId.equals(chain) ? signatureValid : transaction.verify(chain);
    }
}
