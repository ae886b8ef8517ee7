package dev.quilt.node;

import dev.quilt.common.codec.CanonicalReader;
import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Ed25519PublicKey;
import java.util.Arrays;

/**
 * An owner's request for the state of a deployment, signed with the owner's twin key.
 *
 * <pre>
 * query = format u8 (01) | chainId str | nodeId int64 | contractId int64 | issuedAt int64 (epoch seconds)
 *         | signer 32 | signature 64 over "quilt/deployment/status/v1" | every field before the signer
 * </pre>
 * {@code issuedAt} bounds how long a captured query can be replayed (the node takes it within
 * {@link #MAX_SKEW_SECONDS} of its own clock); a replay would only reveal the same status again.
 */
public record StatusQuery(String chainId, long nodeId, long contractId, long issuedAt, Ed25519PublicKey signer, byte[] signature) {
    public static final long MAX_SKEW_SECONDS = 300;
    private static final String DOMAIN = "quilt/deployment/status/v1";

    public StatusQuery {
        if (signature.length != SignedDeployment.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("signature: " + signature.length + " bytes (expected: 64)");
        }
        signature = signature.clone();
    }

    public static StatusQuery sign(Ed25519KeyPair owner, String chainId, long nodeId, long contractId, long issuedAt) {
        byte[] sig = owner.sign(message(chainId, nodeId, contractId, issuedAt));
        return new StatusQuery(chainId, nodeId, contractId, issuedAt, owner.publicKey(), sig);
    }

    public boolean verifies() {
        return signer.verify(message(chainId, nodeId, contractId, issuedAt), signature);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    public byte[] encode() {
        return fields(new CanonicalWriter().u8(1), chainId, nodeId, contractId, issuedAt)
                .fixed(signer.bytes(), 32).fixed(signature, 64).toByteArray();
    }

    public static StatusQuery decode(byte[] bytes) {
        CanonicalReader in = new CanonicalReader(bytes);
        int format = in.u8("format");
        if (format != 1) {
            throw new CodecException("format", 0, "unknown format " + format + " (expected: 1)");
        }
        StatusQuery q = new StatusQuery(in.string("chainId", 64), in.int64("nodeId"), in.int64("contractId"),
                in.int64("issuedAt"), Ed25519PublicKey.of(in.fixed("signer", 32)), in.fixed("signature", 64));
        in.end();
        return q;
    }

    private static byte[] message(String chainId, long nodeId, long contractId, long issuedAt) {
        return fields(new CanonicalWriter().string(DOMAIN, 64), chainId, nodeId, contractId, issuedAt).toByteArray();
    }

    private static CanonicalWriter fields(CanonicalWriter out, String chainId, long nodeId, long contractId, long issuedAt) {
        return out.string(chainId, 64).int64(nodeId).int64(contractId).int64(issuedAt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StatusQuery q && chainId.equals(q.chainId) && nodeId == q.nodeId && contractId == q.contractId
                && issuedAt == q.issuedAt && signer.equals(q.signer) && Arrays.equals(signature, q.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signature);
    }
}
