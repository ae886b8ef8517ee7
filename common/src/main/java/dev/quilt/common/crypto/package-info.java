/**
 * Ed25519 keys and signatures on the JDK's own provider, and SHA-256.
 *
 * <p>Start with {@link dev.quilt.common.crypto.Ed25519KeyPair} (sign) and
 * {@link dev.quilt.common.crypto.Ed25519PublicKey} (verify). Keys travel as raw 32-byte values, the
 * form signed and hashed encodings carry; the JDK's X.509 and PKCS#8 forms stay inside this package.
 */
package dev.quilt.common.crypto;
