package dev.quilt.common.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An Ed25519 public key as its raw 32-byte encoding (RFC 8032, section 5.1.5). Immutable and
 * ordered by unsigned bytes, so it can key sorted maps in canonical state.
 *
 * <p>The JDK speaks X.509 {@code SubjectPublicKeyInfo}; for Ed25519 that is a fixed 12-byte
 * prefix followed by the raw key (RFC 8410), which is why converting needs no ASN.1 parser.
 */
public final class Ed25519PublicKey extends FixedBytes<Ed25519PublicKey> {
    public static final int LENGTH = 32;
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING }. */
    static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private Ed25519PublicKey(byte[] raw) {
        super(raw);
    }

    /** Wraps a copy of 32 raw key bytes. The bytes are not checked to be a curve point here; {@link #verify} is. */
    public static Ed25519PublicKey of(byte[] raw) {
        return new Ed25519PublicKey(copyOfLength(raw, LENGTH, "Ed25519 public key"));
    }

    public static Ed25519PublicKey fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    /** Converts a JDK key (X.509 encoded, algorithm Ed25519 or EdDSA) to raw form. */
    public static Ed25519PublicKey fromJdk(PublicKey key) {
        byte[] der = key.getEncoded();
        if (der == null || der.length != X509_PREFIX.length + LENGTH
                || !Arrays.equals(der, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            throw new IllegalArgumentException("not an X.509 Ed25519 public key: " + key.getAlgorithm());
        }
        return new Ed25519PublicKey(Arrays.copyOfRange(der, X509_PREFIX.length, der.length));
    }

    /** The JDK form of this key. */
    public PublicKey toJdk() throws InvalidKeyException {
        byte[] der = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + LENGTH);
        System.arraycopy(bytes, 0, der, X509_PREFIX.length, LENGTH);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyException("not an Ed25519 public key: " + hex(), e);
        }
    }

    /**
     * Checks a 64-byte signature over {@code message}. Returns false, never throws, for a wrong
     * length, a key that is not a curve point, or a signature that does not verify: to a ledger
     * they are all "bad signature".
     */
    public boolean verify(byte[] message, byte[] signature) {
        if (signature == null || signature.length != Ed25519KeyPair.SIGNATURE_LENGTH) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(toJdk());
            verifier.update(message);
            return verifier.verify(signature);
        } catch (InvalidKeyException | SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
    }
}
