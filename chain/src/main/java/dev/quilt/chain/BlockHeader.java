package dev.quilt.chain;

import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import java.nio.charset.StandardCharsets;

/**
 * What validators sign about a block, and what a light client checks.
 *
 * @param chainId the chain, so a signature is never valid on another chain
 * @param height 0 for genesis, then +1 per block
 * @param time block time in seconds, from the leader's cut entry, never a replica's clock
 * @param previousHash {@link #hash()} of the header at {@code height - 1}; zero for genesis
 * @param transactionsRoot {@link TransactionsRoot} over the hashes of the block's transactions, in order
 * @param stateRoot the state root after the block's transactions and its end
 * @param validatorSetHash the set that certifies this header (in force when the block started)
 * @param nextValidatorSetHash the set in force after this block, which certifies the next header;
 *        differs from {@code validatorSetHash} only in a block that enacted a validator-set change
 */
public record BlockHeader(String chainId, long height, long time, Hash256 previousHash, Hash256 transactionsRoot,
                          Hash256 stateRoot, Hash256 validatorSetHash, Hash256 nextValidatorSetHash) {
    static final byte[] DOMAIN = "quilt/header/v1".getBytes(StandardCharsets.US_ASCII);

    public BlockHeader {
        if (height < 0 || time < 0) {
            throw new IllegalArgumentException("height and time must be >= 0: " + height + ", " + time);
        }
    }

    /** The canonical encoding ({@link BlockHeaderCodec}). */
    public byte[] encode() {
        return BlockHeaderCodec.HEADER.encode(this);
    }

    public static BlockHeader decode(byte[] bytes) {
        return BlockHeaderCodec.HEADER.decode(bytes);
    }

    /** SHA-256 over the domain tag and the encoding: the block's identity, and what validators sign. */
    public Hash256 hash() {
        return Sha256.digest(DOMAIN, encode());
    }
}
