package dev.quilt.chain;

import dev.quilt.common.codec.CanonicalReader;
import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.codec.CodecException;
import java.util.List;

/**
 * What the replicated log holds. Every replica applies the same entries in the same order, so
 * every replica cuts the same blocks at the same times.
 *
 * <pre>
 * entry     = tag u8 | body
 * submit    = 01 | signed transaction bytes (int32 length, at most {@link #MAX_TRANSACTION_BYTES})
 * cut       = 02 | time int64 (seconds, the leader's clock when it cut) | height int64 (of the block it ends)
 *             | validator 32 | signature 64 over "quilt/cut/v1" | chain id | height | time
 * signature = 03 | height int64 | validator 32 | signature 64
 * batch     = 04 | count int32 (1 to {@link #MAX_BATCH}) | signed transaction bytes (int32 length each)
 * </pre>
 */
sealed interface LogEntry {
    /** Largest signed transaction accepted into the log; larger requests are refused before it. */
    int MAX_TRANSACTION_BYTES = 64 * 1024;
    /** Largest log entry accepted from a client: a batch of up to {@link SubmitBatcher#MAX_BYTES} and its framing. */
    int MAX_ENTRY_BYTES = 512 * 1024;

    /** A client's transaction, to be included in the next block. */
    record Submit(SignedTransaction transaction) implements LogEntry {}

    /**
     * Ends the block being built; its time is the only clock reading the ledger ever sees. Signed
     * by the validator that leads, for the height of the block it ends: a cut from any other key,
     * or replayed at another height, ends nothing.
     */
    record Cut(long time, long height, HeaderSignature signature) implements LogEntry {
        private static final byte[] DOMAIN = "quilt/cut/v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        static Cut sign(dev.quilt.common.crypto.Ed25519KeyPair key, String chainId, long height, long time) {
            return new Cut(time, height, new HeaderSignature(key.publicKey(), key.sign(signingBytes(chainId, height, time))));
        }

        boolean verifies(String chainId) {
            return signature.validator().verify(signingBytes(chainId, height, time), signature.signature());
        }

        private static byte[] signingBytes(String chainId, long height, long time) {
            return new CanonicalWriter().bytes(DOMAIN, DOMAIN.length).string(chainId, ChainParameters.MAX_CHAIN_ID)
                    .int64(height).int64(time).toByteArray();
        }
    }

    /** Most transactions in one {@link Batch}. */
    int MAX_BATCH = 4096;

    /**
     * Transactions that reached one validator together, in the order they arrived, to be included
     * in the next block in that order: one log entry for many clients ({@link SubmitBatcher}).
     */
    record Batch(List<SignedTransaction> transactions) implements LogEntry {
        public Batch {
            transactions = List.copyOf(transactions);
            if (transactions.isEmpty() || transactions.size() > MAX_BATCH) {
                throw new IllegalArgumentException("batch of " + transactions.size() + " (expected: 1 to " + MAX_BATCH + ")");
            }
        }
    }

    /** A validator's signature over the header at {@code height}. */
    record Signature(long height, HeaderSignature signature) implements LogEntry {}

    default byte[] encode() {
        CanonicalWriter out = new CanonicalWriter();
        switch (this) {
            case Submit s -> out.u8(1).bytes(s.transaction().encode(), MAX_TRANSACTION_BYTES);
            case Cut c -> {
                out.u8(2).int64(c.time()).int64(c.height());
                ValueCodecs.key(out, c.signature().validator());
                out.fixed(c.signature().signature(), 64);
            }
            case Batch b -> out.u8(4).list(b.transactions(), MAX_BATCH, (w, tx) -> w.bytes(tx.encode(), MAX_TRANSACTION_BYTES));
            case Signature s -> {
                out.u8(3).int64(s.height());
                ValueCodecs.key(out, s.signature().validator());
                out.fixed(s.signature().signature(), 64);
            }
        }
        return out.toByteArray();
    }

    /** Decodes an entry; throws {@link CodecException} naming the field for anything malformed. */
    static LogEntry decode(byte[] bytes) {
        CanonicalReader in = new CanonicalReader(bytes);
        int tag = in.u8("entry.tag");
        LogEntry entry = switch (tag) {
            case 1 -> new Submit(SignedTransaction.decode(in.bytes("entry.transaction", MAX_TRANSACTION_BYTES)));
            case 2 -> new Cut(in.nonNegative("entry.time"), in.nonNegative("entry.height"),
                    new HeaderSignature(ValueCodecs.key(in, "entry.validator"), in.fixed("entry.signature", 64)));
            case 3 -> new Signature(in.nonNegative("entry.height"),
                    new HeaderSignature(ValueCodecs.key(in, "entry.validator"), in.fixed("entry.signature", 64)));
            case 4 -> {
                List<SignedTransaction> txs = in.list("entry.batch", MAX_BATCH,
                        r -> SignedTransaction.decode(r.bytes("entry.batch.transaction", MAX_TRANSACTION_BYTES)));
                if (txs.isEmpty()) {
                    throw new CodecException("entry.batch", in.offset(), "empty batch");
                }
                yield new Batch(txs);
            }
            default -> throw new CodecException("entry.tag", 0, "unknown log entry " + tag);
        };
        in.end();
        return entry;
    }
}
