package dev.quilt.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Ed25519Test {
    private static final HexFormat HEX = HexFormat.of();

    // RFC 8032, section 7.1, TEST 1 (empty message).
    private static final String SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private static final String PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private static final String SIGNATURE = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065"
            + "224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

    @Test
    void seedGivesTheRfc8032PublicKeyAndSignature() {
        Ed25519KeyPair keys = Ed25519KeyPair.fromSeed(HEX.parseHex(SEED));
        assertThat(keys.publicKey().hex()).isEqualTo(PUBLIC);
        assertThat(HEX.formatHex(keys.sign(new byte[0]))).isEqualTo(SIGNATURE);
        assertThat(HEX.formatHex(keys.seed())).isEqualTo(SEED);
    }

    @Test
    void verifiesTheRfc8032SignatureAndRejectsTampering() {
        Ed25519PublicKey key = Ed25519PublicKey.fromHex(PUBLIC);
        byte[] sig = HEX.parseHex(SIGNATURE);
        assertThat(key.verify(new byte[0], sig)).isTrue();
        assertThat(key.verify(new byte[] {1}, sig)).isFalse();
        sig[3] ^= 1;
        assertThat(key.verify(new byte[0], sig)).isFalse();
        assertThat(key.verify(new byte[0], new byte[10])).isFalse();
    }

    @Test
    void generatedKeysSignAndVerify() {
        Ed25519KeyPair keys = Ed25519KeyPair.generate();
        byte[] msg = "transfer 10".getBytes(StandardCharsets.UTF_8);
        assertThat(keys.publicKey().verify(msg, keys.sign(msg))).isTrue();
        assertThat(Ed25519KeyPair.generate().publicKey().verify(msg, keys.sign(msg))).isFalse();
        assertThat(Ed25519KeyPair.fromSeed(keys.seed()).publicKey()).isEqualTo(keys.publicKey());
    }

    @Test
    void rawKeyRoundTripsThroughTheJdkX509Form() throws Exception {
        var jdk = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
        Ed25519PublicKey raw = Ed25519PublicKey.fromJdk(jdk);
        assertThat(raw.toJdk().getEncoded()).isEqualTo(jdk.getEncoded());
        assertThat(raw.bytes()).hasSize(32);
    }

    @Test
    void rejectsKeysOfTheWrongShape() throws Exception {
        assertThatThrownBy(() -> Ed25519PublicKey.of(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Ed25519 public key must be 32 bytes, got 31");
        var rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic();
        assertThatThrownBy(() -> Ed25519PublicKey.fromJdk(rsa))
                .hasMessage("not an X.509 Ed25519 public key: RSA");
        assertThatThrownBy(() -> Ed25519KeyPair.fromSeed(new byte[33]))
                .hasMessage("Ed25519 seed must be 32 bytes, got 33");
    }

    @Test
    void keysOrderByUnsignedBytes() {
        Ed25519PublicKey low = Ed25519PublicKey.of(new byte[32]);
        byte[] high = new byte[32];
        high[0] = (byte) 0x80;
        assertThat(low.compareTo(Ed25519PublicKey.of(high))).isNegative();
    }

    @Test
    void sha256OfAbcIsTheFips180Vector() {
        assertThat(Sha256.digest("a".getBytes(StandardCharsets.US_ASCII), "bc".getBytes(StandardCharsets.US_ASCII)).hex())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
