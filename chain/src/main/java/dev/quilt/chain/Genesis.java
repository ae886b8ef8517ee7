package dev.quilt.chain;

import dev.quilt.common.codec.CanonicalReader;
import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.codec.CodecException;

/**
 * How a chain starts: the genesis state (validators, balances, parameters, the devnet faucet
 * limit) and the genesis time. Every node of a chain starts from the same genesis bytes.
 *
 * <pre>
 * genesis = version u8 (01) | time int64 | state bytes ({@link StateCodec})
 * </pre>
 */
public record Genesis(long time, LedgerState state) {
    private static final int VERSION = 1;

    public String chainId() {
        return state.params().chainId();
    }

    public BlockHeader header() {
        return BlockProducer.genesisHeader(state, time);
    }

    public byte[] encode() {
        return new CanonicalWriter().u8(VERSION).int64(time).bytes(state.encode(), Integer.MAX_VALUE).toByteArray();
    }

    public static Genesis decode(byte[] bytes) {
        CanonicalReader in = new CanonicalReader(bytes);
        int version = in.u8("genesis.version");
        if (version != VERSION) {
            throw new CodecException("genesis.version", 0, "unsupported genesis version " + version);
        }
        Genesis g = new Genesis(in.nonNegative("genesis.time"), LedgerState.decode(in.bytes("genesis.state", Integer.MAX_VALUE)));
        in.end();
        return g;
    }
}
