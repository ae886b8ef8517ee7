package dev.quilt.common.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An Ed25519 signing key with its public key. Thread-safe (immutable; each signature uses a fresh
 * {@link Signature}).
 *
 * <p>The private key is kept as its 32-byte seed (RFC 8032). The JDK's PKCS#8 form of an Ed25519
 * key is a fixed 16-byte prefix followed by the seed (RFC 8410), so a seed converts both ways
 * without an ASN.1 parser. Ed25519 signing is deterministic: the same key and message always give
 * the same signature, which is what lets signed transactions have golden test vectors.
 */
public final class Ed25519KeyPair {
    public static final int SEED_LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;
    /** DER prefix of an Ed25519 PKCS#8 PrivateKeyInfo (v1, OID 1.3.101.112, OCTET STRING of OCTET STRING). */
    static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private final PrivateKey privateKey;
    private final Ed25519PublicKey publicKey;

    private Ed25519KeyPair(PrivateKey privateKey, Ed25519PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** A fresh key pair from the JDK's default strong randomness. */
    public static Ed25519KeyPair generate() {
        try {
            KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new Ed25519KeyPair(kp.getPrivate(), Ed25519PublicKey.fromJdk(kp.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
    }

    /** The key pair whose private key is this 32-byte seed; the same seed always gives the same keys. */
    public static Ed25519KeyPair fromSeed(byte[] seed) {
        byte[] checked = FixedBytes.copyOfLength(seed, SEED_LENGTH, "Ed25519 seed");
        byte[] der = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + SEED_LENGTH);
        System.arraycopy(checked, 0, der, PKCS8_PREFIX.length, SEED_LENGTH);
        try {
            PrivateKey privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            return new Ed25519KeyPair(privateKey, derivePublic(privateKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
    }

    /** The 32-byte seed, for storing the key; the caller is responsible for keeping it secret. */
    public byte[] seed() {
        byte[] der = privateKey.getEncoded();
        if (der.length != PKCS8_PREFIX.length + SEED_LENGTH
                || !Arrays.equals(der, 0, PKCS8_PREFIX.length, PKCS8_PREFIX, 0, PKCS8_PREFIX.length)) {
            throw new IllegalStateException("unexpected PKCS#8 form of an Ed25519 key");
        }
        return Arrays.copyOfRange(der, PKCS8_PREFIX.length, der.length);
    }

    public Ed25519PublicKey publicKey() {
        return publicKey;
    }

    /** A 64-byte signature over {@code message}. */
    public byte[] sign(byte[] message) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /**
     * The JDK has no "public key of this private key" call, but its Ed25519 key generator draws
     * exactly the 32-byte seed from the random source it is given and derives the public point
     * from it; replaying the seed through that source yields the matching public key.
     */
    private static Ed25519PublicKey derivePublic(PrivateKey privateKey) throws GeneralSecurityException {
        byte[] seed = Arrays.copyOfRange(privateKey.getEncoded(), PKCS8_PREFIX.length, PKCS8_PREFIX.length + SEED_LENGTH);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, new SeedReplay(seed));
        return Ed25519PublicKey.fromJdk(generator.generateKeyPair().getPublic());
    }

    /** A random source that returns one fixed seed; used only by {@link #derivePublic}. */
    private static final class SeedReplay extends SecureRandom {
        private final byte[] seed;

        SeedReplay(byte[] seed) {
            this.seed = seed;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("key generator asked for " + bytes.length + " random bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, seed.length);
        }
    }

    @Override
    public String toString() {
        // Never print the secret.
        return "Ed25519KeyPair[" + publicKey.hex() + "]";
    }
}
