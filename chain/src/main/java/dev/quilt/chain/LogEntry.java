package dev.quilt.chain;

import dev.quilt.common.codec.CanonicalReader;
import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.codec.CodecException;

/**
 * What the replicated log holds. Every replica applies the same entries in the same order, so
 * every replica cuts the same blocks at the same times.
 *
 * <pre>
 * entry     = tag u8 | body
 * submit    = 01 | signed transaction bytes (int32 length, at most {@link #MAX_TRANSACTION_BYTES})
 * cut       = 02 | time int64 (seconds, the leader's clock when it cut)
 * signature = 03 | height int64 | validator 32 | signature 64
 * </pre>
 */
sealed interface LogEntry {
    /** Largest signed transaction accepted into the log; larger requests are refused before it. */
    int MAX_TRANSACTION_BYTES = 64 * 1024;

    /** A client's transaction, to be included in the next block. */
    record Submit(SignedTransaction transaction) implements LogEntry {}

    /** Ends the block being built; its time is the only clock reading the ledger ever sees. */
    record Cut(long time) implements LogEntry {}

    /** A validator's signature over the header at {@code height}. */
    record Signature(long height, HeaderSignature signature) implements LogEntry {}

    default byte[] encode() {
        CanonicalWriter out = new CanonicalWriter();
        switch (this) {
            case Submit s -> out.u8(1).bytes(s.transaction().encode(), MAX_TRANSACTION_BYTES);
            case Cut c -> out.u8(2).int64(c.time());
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
            case 2 -> new Cut(in.nonNegative("entry.time"));
            case 3 -> new Signature(in.nonNegative("entry.height"),
                    new HeaderSignature(ValueCodecs.key(in, "entry.validator"), in.fixed("entry.signature", 64)));
            default -> throw new CodecException("entry.tag", 0, "unknown log entry " + tag);
        };
        in.end();
        return entry;
    }
}
