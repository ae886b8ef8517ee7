package dev.quilt.chain;

import dev.quilt.common.codec.CanonicalCodec;
import dev.quilt.common.codec.CanonicalReader;
import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.codec.CodecException;

/**
 * Canonical encoding of a {@link BlockHeader}, fixed-width big-endian:
 *
 * <pre>
 * header = version u8 (01) | chainId str | height int64 | time int64 | previousHash 32
 *          | transactionsRoot 32 | stateRoot 32 | validatorSetHash 32 | nextValidatorSetHash 32
 * </pre>
 */
final class BlockHeaderCodec {
    static final int VERSION = 1;

    private BlockHeaderCodec() {}

    static final CanonicalCodec<BlockHeader> HEADER = new CanonicalCodec<>() {
        @Override
        public void write(BlockHeader h, CanonicalWriter out) {
            out.u8(VERSION).string(h.chainId(), ChainParameters.MAX_CHAIN_ID).int64(h.height()).int64(h.time());
            ValueCodecs.hash(out, h.previousHash());
            ValueCodecs.hash(out, h.transactionsRoot());
            ValueCodecs.hash(out, h.stateRoot());
            ValueCodecs.hash(out, h.validatorSetHash());
            ValueCodecs.hash(out, h.nextValidatorSetHash());
        }

        @Override
        public BlockHeader read(CanonicalReader in) {
            int at = in.offset();
            int version = in.u8("header.version");
            if (version != VERSION) {
                throw new CodecException("header.version", at, "unsupported header version " + version);
            }
            return ValueCodecs.construct("header", at, () -> new BlockHeader(
                    in.string("header.chainId", ChainParameters.MAX_CHAIN_ID), in.nonNegative("header.height"),
                    in.nonNegative("header.time"), ValueCodecs.hash(in, "header.previousHash"),
                    ValueCodecs.hash(in, "header.transactionsRoot"), ValueCodecs.hash(in, "header.stateRoot"),
                    ValueCodecs.hash(in, "header.validatorSetHash"), ValueCodecs.hash(in, "header.nextValidatorSetHash")));
        }
    };
}
