package dev.quilt.node;

import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Ed25519PublicKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A deployment document as handed to a node's intake: signed by the contract owner's twin key
 * for one chain, one node and one contract.
 *
 * <p>The signature covers {@code "quilt/deployment/signature/v1" | chainId | nodeId | contractId
 * | version | document hash}, so the same document signed for contract 7 on node 3 is worthless
 * for any other contract, node or chain, and the version is bound as well.
 */
public record SignedDeployment(String chainId, long nodeId, long contractId, DeploymentDocument document,
                               Ed25519PublicKey signer, byte[] signature) {
    public static final int SIGNATURE_LENGTH = Ed25519KeyPair.SIGNATURE_LENGTH;
    private static final String DOMAIN = "quilt/deployment/signature/v1";

    public SignedDeployment {
        if (signature.length != SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("signature: " + signature.length + " bytes (expected: " + SIGNATURE_LENGTH + ")");
        }
        signature = signature.clone();
    }

    /** Signs {@code document} for one contract on one node of one chain. */
    public static SignedDeployment sign(Ed25519KeyPair owner, String chainId, long nodeId, long contractId,
                                        DeploymentDocument document) {
        byte[] sig = owner.sign(message(chainId, nodeId, contractId, document));
        return new SignedDeployment(chainId, nodeId, contractId, document, owner.publicKey(), sig);
    }

    /** True when the signature is the signer's over this envelope's chain, node, contract, version and hash. */
    public boolean verifies() {
        return signer.verify(message(chainId, nodeId, contractId, document), signature);
    }

    public byte[] encode() {
        return DeploymentCodec.SIGNED.encode(this);
    }

    public static SignedDeployment decode(byte[] bytes) {
        return DeploymentCodec.SIGNED.decode(bytes);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    static byte[] message(String chainId, long nodeId, long contractId, DeploymentDocument document) {
        return new CanonicalWriter().string(DOMAIN, 64).string(chainId, 64).int64(nodeId).int64(contractId)
                .int64(document.version()).fixed(document.hash().bytes(), 32).toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedDeployment s && chainId.equals(s.chainId) && nodeId == s.nodeId
                && contractId == s.contractId && document.equals(s.document) && signer.equals(s.signer)
                && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "SignedDeployment[chain " + chainId + ", node " + nodeId + ", contract " + contractId + ", version "
                + document.version() + ", hash " + document.hash() + "]";
    }
}
