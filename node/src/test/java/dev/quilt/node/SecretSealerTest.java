package dev.quilt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.common.crypto.Ed25519KeyPair;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SecretSealerTest {
    private static final byte[] SECRET = "wallet-password: hunter2".getBytes(StandardCharsets.UTF_8);
    private final byte[] nodePrivate = random();
    private final byte[] nodePublic = SecretSealer.publicKeyOf(nodePrivate);

    @Test
    void opensForExactlyTheChainNodeContractAndName() {
        Workload.SealedSecret sealed = SecretSealer.seal(nodePublic, "quilt-1", 3, 7, "wallet", SECRET);
        assertThat(sealed.sealed()).hasSize(SecretSealer.OVERHEAD + SECRET.length);
        assertThat(new String(sealed.sealed(), StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
        assertThat(SecretSealer.open(nodePrivate, "quilt-1", 3, 7, sealed)).isEqualTo(SECRET);

        assertThatThrownBy(() -> SecretSealer.open(nodePrivate, "quilt-2", 3, 7, sealed))
                .hasMessage("secret wallet does not open: sealed for another node, contract or name, or altered");
        assertThatThrownBy(() -> SecretSealer.open(nodePrivate, "quilt-1", 4, 7, sealed)).hasMessageContaining("does not open");
        assertThatThrownBy(() -> SecretSealer.open(nodePrivate, "quilt-1", 3, 8, sealed)).hasMessageContaining("does not open");
        var renamed = new Workload.SealedSecret("other", sealed.sealed());
        assertThatThrownBy(() -> SecretSealer.open(nodePrivate, "quilt-1", 3, 7, renamed)).hasMessageContaining("does not open");
        byte[] otherNode = random();
        assertThatThrownBy(() -> SecretSealer.open(otherNode, "quilt-1", 3, 7, sealed)).hasMessageContaining("does not open");
    }

    @Test
    void anyAlteredByteIsRefused() {
        byte[] sealed = SecretSealer.seal(nodePublic, "quilt-1", 3, 7, "wallet", SECRET).sealed();
        for (int i = 0; i < sealed.length; i++) {
            byte[] altered = sealed.clone();
            altered[i] ^= 0x01;
            var secret = new Workload.SealedSecret("wallet", altered);
            assertThatThrownBy(() -> SecretSealer.open(nodePrivate, "quilt-1", 3, 7, secret))
                    .as("byte %d altered", i).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void eachSealingIsFreshAndEmptySecretsWork() {
        var a = SecretSealer.seal(nodePublic, "quilt-1", 3, 7, "wallet", SECRET);
        var b = SecretSealer.seal(nodePublic, "quilt-1", 3, 7, "wallet", SECRET);
        assertThat(a).isNotEqualTo(b);
        var empty = SecretSealer.seal(nodePublic, "quilt-1", 3, 7, "empty", new byte[0]);
        assertThat(SecretSealer.open(nodePrivate, "quilt-1", 3, 7, empty)).isEmpty();
        assertThat(a.toString()).doesNotContain("hunter2").contains("wallet");
    }

    @Test
    void badInputIsRefusedWithAReason() {
        assertThatThrownBy(() -> SecretSealer.seal(nodePublic, "quilt-1", 3, 7, "../etc/passwd", SECRET))
                .hasMessageContaining("secret name: '../etc/passwd'");
        assertThatThrownBy(() -> SecretSealer.seal(nodePublic, "quilt-1", 3, 7, "big", new byte[SecretSealer.MAX_SECRET + 1]))
                .hasMessageContaining("expected: at most 65536");
        assertThatThrownBy(() -> SecretSealer.seal(new byte[5], "quilt-1", 3, 7, "k", SECRET))
                .hasMessageContaining("cannot seal");
    }

    @Test
    void sealingKeySignatureBindsChainAndNode() {
        Ed25519KeyPair node = Documents.key(11);
        byte[] signature = node.sign(SecretSealer.keyMessage("quilt-1", 3, nodePublic));
        assertThat(SecretSealer.verifySealingKey(node.publicKey(), "quilt-1", 3, nodePublic, signature)).isTrue();
        assertThat(SecretSealer.verifySealingKey(node.publicKey(), "quilt-2", 3, nodePublic, signature)).isFalse();
        assertThat(SecretSealer.verifySealingKey(node.publicKey(), "quilt-1", 4, nodePublic, signature)).isFalse();
        assertThat(SecretSealer.verifySealingKey(Documents.key(12).publicKey(), "quilt-1", 3, nodePublic, signature)).isFalse();
        assertThat(SecretSealer.verifySealingKey(node.publicKey(), "quilt-1", 3, SecretSealer.publicKeyOf(random()), signature))
                .isFalse();
    }

    private static byte[] random() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
