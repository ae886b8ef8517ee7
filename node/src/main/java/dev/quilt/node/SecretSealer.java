package dev.quilt.node;

import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.crypto.Ed25519PublicKey;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a secret to one node, for one contract and one name, so that only that node can open it
 * and only as that secret of that contract.
 *
 * <pre>
 * sealed = ephemeral X25519 public key 32 | AES-256-GCM ciphertext | tag 16
 * shared = X25519(ephemeral private, node sealing key)
 * okm    = HKDF-SHA256(ikm shared, salt ephemeral public | node sealing key, info "quilt/secret/v1", 44 bytes)
 *          → key okm[0..32), nonce okm[32..44)
 * aad    = str "quilt/secret/v1" | str chainId | int64 nodeId | int64 contractId | str name
 * </pre>
 * A fresh ephemeral key per secret makes every key and nonce single-use. The node's sealing key is
 * published by its intake, signed by its Ed25519 key over {@code str "quilt/sealing-key/v1" |
 * str chainId | int64 nodeId | fixed 32 key} ({@link #verifySealingKey}); a client checks that
 * signature against the node's key on the ledger before sealing to it.
 */
public final class SecretSealer {
    public static final int KEY_LENGTH = 32;
    public static final int OVERHEAD = KEY_LENGTH + 16;
    public static final int MAX_SECRET = 64 << 10;
    private static final String SECRET_DOMAIN = "quilt/secret/v1";
    private static final String KEY_DOMAIN = "quilt/sealing-key/v1";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretSealer() {}

    /** Seals {@code secret} to the node whose X25519 sealing key is {@code sealingKey} (32 raw bytes). */
    public static Workload.SealedSecret seal(byte[] sealingKey, String chainId, long nodeId, long contractId, String name,
                                             byte[] secret) {
        if (secret.length > MAX_SECRET) {
            throw new IllegalArgumentException("secret " + name + ": " + secret.length + " bytes (expected: at most " + MAX_SECRET + ")");
        }
        new Workload.SealedSecret(name, new byte[OVERHEAD]); // checks the name before any work
        try {
            byte[] ephemeralPrivate = new byte[KEY_LENGTH];
            RANDOM.nextBytes(ephemeralPrivate);
            PrivateKey ephemeral = privateKey(ephemeralPrivate);
            byte[] ephemeralPublic = publicKeyOf(ephemeralPrivate);
            byte[] shared = agree(ephemeral, sealingKey);
            Cipher aes = cipher(Cipher.ENCRYPT_MODE, shared, ephemeralPublic, sealingKey, aad(chainId, nodeId, contractId, name));
            byte[] out = Arrays.copyOf(ephemeralPublic, KEY_LENGTH + aes.getOutputSize(secret.length));
            aes.doFinal(secret, 0, secret.length, out, KEY_LENGTH);
            return new Workload.SealedSecret(name, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot seal to key " + java.util.HexFormat.of().formatHex(sealingKey) + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code signature} is the node key's over this sealing key for this chain and node. */
    public static boolean verifySealingKey(Ed25519PublicKey nodeKey, String chainId, long nodeId, byte[] sealingKey,
                                           byte[] signature) {
        return sealingKey.length == KEY_LENGTH && nodeKey.verify(keyMessage(chainId, nodeId, sealingKey), signature);
    }

    static byte[] keyMessage(String chainId, long nodeId, byte[] sealingKey) {
        return new CanonicalWriter().string(KEY_DOMAIN, 64).string(chainId, 64).int64(nodeId).fixed(sealingKey, KEY_LENGTH)
                .toByteArray();
    }

    /**
     * Opens a secret sealed to {@code privateKey} for exactly this chain, node, contract and name.
     *
     * @throws IllegalArgumentException when it was sealed for anything else or was altered
     */
    static byte[] open(byte[] privateKey, String chainId, long nodeId, long contractId, Workload.SealedSecret secret) {
        byte[] sealed = secret.sealed();
        byte[] ephemeralPublic = Arrays.copyOf(sealed, KEY_LENGTH);
        try {
            byte[] shared = agree(privateKey(privateKey), ephemeralPublic);
            Cipher aes = cipher(Cipher.DECRYPT_MODE, shared, ephemeralPublic, publicKeyOf(privateKey),
                    aad(chainId, nodeId, contractId, secret.name()));
            return aes.doFinal(sealed, KEY_LENGTH, sealed.length - KEY_LENGTH);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("secret " + secret.name() + " does not open: sealed for another node, contract or name, or altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("secret " + secret.name() + " does not open: " + e.getMessage());
        }
    }

    /** The X25519 public key of a private scalar: X25519(k, 9), the base point's u-coordinate being 9. */
    static byte[] publicKeyOf(byte[] privateKey) {
        byte[] base = new byte[KEY_LENGTH];
        base[0] = 9;
        try {
            return agree(privateKey(privateKey), base);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 with the base point failed", e);
        }
    }

    private static Cipher cipher(int mode, byte[] shared, byte[] ephemeralPublic, byte[] recipient, byte[] aad)
            throws GeneralSecurityException {
        byte[] salt = new byte[2 * KEY_LENGTH];
        System.arraycopy(ephemeralPublic, 0, salt, 0, KEY_LENGTH);
        System.arraycopy(recipient, 0, salt, KEY_LENGTH, KEY_LENGTH);
        byte[] okm = KDF.getInstance("HKDF-SHA256").deriveData(HKDFParameterSpec.ofExtract().addIKM(shared).addSalt(salt)
                .thenExpand(SECRET_DOMAIN.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 44));
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(mode, new SecretKeySpec(okm, 0, 32, "AES"), new GCMParameterSpec(128, okm, 32, 12));
        aes.updateAAD(aad);
        return aes;
    }

    private static byte[] aad(String chainId, long nodeId, long contractId, String name) {
        return new CanonicalWriter().string(SECRET_DOMAIN, 64).string(chainId, 64).int64(nodeId).int64(contractId)
                .string(name, 64).toByteArray();
    }

    private static byte[] agree(PrivateKey own, byte[] peerPublic) throws GeneralSecurityException {
        if (peerPublic.length != KEY_LENGTH) {
            throw new java.security.InvalidKeyException("X25519 key of " + peerPublic.length + " bytes (expected: " + KEY_LENGTH + ")");
        }
        KeyAgreement agreement = KeyAgreement.getInstance("X25519");
        agreement.init(own);
        agreement.doPhase(publicKey(peerPublic), true);
        return agreement.generateSecret();
    }

    private static PrivateKey privateKey(byte[] scalar) throws GeneralSecurityException {
        return KeyFactory.getInstance("X25519").generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar.clone()));
    }

    /** RFC 7748: the u-coordinate little-endian, its top bit ignored. */
    private static PublicKey publicKey(byte[] raw) throws GeneralSecurityException {
        byte[] be = new byte[KEY_LENGTH];
        for (int i = 0; i < KEY_LENGTH; i++) {
            be[i] = raw[KEY_LENGTH - 1 - i];
        }
        be[0] &= 0x7f;
        return KeyFactory.getInstance("X25519").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
    }
}
