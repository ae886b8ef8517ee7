package dev.quilt.chain;

import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Ed25519PublicKey;
import java.util.Arrays;
import java.util.Objects;

/**
 * A transaction as submitted: the sender's key, its nonce, the last block height it may be
 * included in, the payload, and the sender's Ed25519 signature.
 *
 * <p>The signature covers {@link #signingBytes(String)}: a domain tag, the chain id, and the
 * canonical encoding of everything but the signature. The domain tag keeps a transaction signature
 * from being valid as any other kind of Quilt signature; the chain id keeps it from being replayed
 * on another chain; the nonce keeps it from being replayed on this one.
 */
public record SignedTransaction(Ed25519PublicKey sender, long nonce, long expiresAtHeight, Transaction payload,
                                byte[] signature) {
    /** Separates transaction signatures from every other signed Quilt message. */
    public static final String DOMAIN = "quilt/transaction/v1";

    public SignedTransaction {
        Objects.requireNonNull(sender);
        Objects.requireNonNull(payload);
        if (nonce < 0 || expiresAtHeight < 0) {
            throw new IllegalArgumentException("nonce and expiry must be non-negative");
        }
        if (signature.length != Ed25519KeyPair.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("signature must be 64 bytes, got " + signature.length);
        }
        signature = signature.clone();
    }

    /** Signs {@code payload} for {@code chainId} with the sender's keys. */
    public static SignedTransaction sign(Ed25519KeyPair keys, String chainId, long nonce, long expiresAtHeight,
                                         Transaction payload) {
        byte[] message = signingBytes(chainId, keys.publicKey(), nonce, expiresAtHeight, payload);
        return new SignedTransaction(keys.publicKey(), nonce, expiresAtHeight, payload, keys.sign(message));
    }

    /** The exact bytes the signature is over. */
    public byte[] signingBytes(String chainId) {
        return signingBytes(chainId, sender, nonce, expiresAtHeight, payload);
    }

    /** True when the signature is the sender's over this transaction on {@code chainId}. */
    public boolean verify(String chainId) {
        return sender.verify(signingBytes(chainId), signature);
    }

    /** The canonical encoding of the whole envelope, signature included (what a block carries). */
    public byte[] encode() {
        return TransactionCodec.SIGNED.encode(this);
    }

    public static SignedTransaction decode(byte[] bytes) {
        return TransactionCodec.SIGNED.decode(bytes);
    }

    private static byte[] signingBytes(String chainId, Ed25519PublicKey sender, long nonce, long expiry,
                                       Transaction payload) {
        CanonicalWriter out = new CanonicalWriter();
        out.string(DOMAIN, DOMAIN.length()).string(chainId, ChainParameters.MAX_CHAIN_ID);
        TransactionCodec.writeUnsigned(out, sender, nonce, expiry, payload);
        return out.toByteArray();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedTransaction t && sender.equals(t.sender) && nonce == t.nonce
                && expiresAtHeight == t.expiresAtHeight && payload.equals(t.payload)
                && Arrays.equals(signature, t.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sender, nonce, expiresAtHeight, payload, Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "SignedTransaction[" + sender + " #" + nonce + " until " + expiresAtHeight + " " + payload + "]";
    }
}
