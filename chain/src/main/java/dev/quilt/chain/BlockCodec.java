package dev.quilt.chain;

import dev.quilt.common.codec.CanonicalCodec;
import dev.quilt.common.codec.CanonicalReader;
import dev.quilt.common.codec.CanonicalWriter;
import java.util.List;

/**
 * How the store keeps a {@link Block}: its header, its signed transactions, and each outcome as a
 * presence byte and, for a refusal, its reason. Events are not kept yet (they have no canonical
 * encoding), so a decoded block's accepted outcomes carry no events.
 *
 * <pre>
 * block = version u8 (01) | header bytes | [transaction bytes] | [refusal? str]
 * </pre>
 */
final class BlockCodec {
    private static final int MANY = Integer.MAX_VALUE;
    private static final int MAX_REASON = 4096;

    private BlockCodec() {}

    static final CanonicalCodec<Block> BLOCK = new CanonicalCodec<>() {
        @Override
        public void write(Block b, CanonicalWriter out) {
            out.u8(1).bytes(b.header().encode(), 1024)
                    .list(b.transactions(), MANY, (w, tx) -> w.bytes(tx.encode(), LogEntry.MAX_TRANSACTION_BYTES))
                    .list(b.outcomes(), MANY, (w, o) -> w.optional(switch (o) {
                        case Outcome.Accepted a -> java.util.Optional.<String>empty();
                        case Outcome.Refused r -> java.util.Optional.of(r.reason());
                    }, (w2, reason) -> w2.string(reason, MAX_REASON)));
        }

        @Override
        public Block read(CanonicalReader in) {
            int version = in.u8("block.version");
            if (version != 1) {
                throw new dev.quilt.common.codec.CodecException("block.version", 0, "unsupported block version " + version);
            }
            BlockHeader header = BlockHeader.decode(in.bytes("block.header", 1024));
            List<SignedTransaction> txs = in.list("block.transactions", MANY,
                    r -> SignedTransaction.decode(r.bytes("transaction", LogEntry.MAX_TRANSACTION_BYTES)));
            List<Outcome> outcomes = in.list("block.outcomes", MANY, r -> r.optional("refusal",
                    r2 -> r2.string("refusal", MAX_REASON)).<Outcome>map(Outcome.Refused::new).orElse(new Outcome.Accepted(List.of())));
            return new Block(header, txs, outcomes, List.of());
        }
    };
}
