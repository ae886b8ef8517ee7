/**
 * The grid ledger: a pure, deterministic state machine of signed transactions.
 *
 * <p>Start with {@link dev.quilt.chain.Ledger}: {@code apply(state, signedTransaction, block)}
 * and {@code endBlock(state, block)}. Transactions are the records of the sealed
 * {@link dev.quilt.chain.Transaction}, signed into a {@link dev.quilt.chain.SignedTransaction};
 * the state is a {@link dev.quilt.chain.LedgerState}; what happened is an
 * {@link dev.quilt.chain.Outcome} and a list of {@link dev.quilt.chain.Event}s. Rules, billing,
 * rewards, governance and the codecs are package-private.
 */
package dev.quilt.chain;
