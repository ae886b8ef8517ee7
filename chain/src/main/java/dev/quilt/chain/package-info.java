/**
 * The grid ledger: a pure, deterministic state machine of signed transactions, replicated with
 * Apache Ratis, persisted in RocksDB, finalized by validator signatures on block headers.
 *
 * <p>Start with {@link dev.quilt.chain.Ledger}: {@code apply(state, signedTransaction, block)}
 * and {@code endBlock(state, block)}. Transactions are the records of the sealed
 * {@link dev.quilt.chain.Transaction}, signed into a {@link dev.quilt.chain.SignedTransaction};
 * the state is a {@link dev.quilt.chain.LedgerState}; what happened is an
 * {@link dev.quilt.chain.Outcome} and a list of {@link dev.quilt.chain.Event}s.
 *
 * <p>Blocks: {@link dev.quilt.chain.BlockProducer} makes a {@link dev.quilt.chain.Block} with its
 * {@link dev.quilt.chain.BlockHeader}; {@link dev.quilt.chain.HeaderSigner} signs headers and
 * {@link dev.quilt.chain.LightClient} checks them against a {@link dev.quilt.chain.ValidatorSet}.
 * A running member of a chain is a {@link dev.quilt.chain.ChainNode}, created from a
 * {@link dev.quilt.chain.Genesis} and served by {@link dev.quilt.chain.ChainHttpApi}.
 * Rules, billing, rewards, governance, the codecs, the store and the Ratis adapter are
 * package-private.
 */
package dev.quilt.chain;
