package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519PublicKey;
import java.util.Arrays;

/** One validator's Ed25519 signature over a header's {@link BlockHeader#hash()}. */
public record HeaderSignature(Ed25519PublicKey validator, byte[] signature) {

    public HeaderSignature {
        if (signature.length != 64) {
            throw new IllegalArgumentException("signature: " + signature.length + " bytes (expected: 64)");
        }
        signature = signature.clone();
    }

    public boolean verifies(BlockHeader header) {
        return validator.verify(header.hash().bytes(), signature);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeaderSignature s && validator.equals(s.validator) && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return validator.hashCode() * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "HeaderSignature[" + validator.hex() + "]";
    }
}
