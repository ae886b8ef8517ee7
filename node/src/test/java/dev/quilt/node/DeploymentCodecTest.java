package dev.quilt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentCodecTest {
    static final Ed25519KeyPair OWNER = Documents.key(4);

    @Test
    void sampleEncodesToTheGoldenVectorAndHashesAsDocumented() {
        byte[] golden = Documents.vector("deployment-v1.hex");
        assertThat(Documents.sample().encode()).isEqualTo(golden);
        assertThat(DeploymentDocument.decode(golden)).isEqualTo(Documents.sample());
        // The hash computed independently of DeploymentDocument.hash(): the domain tag, then the bytes.
        assertThat(Documents.sample().hash())
                .isEqualTo(Sha256.digest("quilt/deployment/v1".getBytes(StandardCharsets.US_ASCII), golden));
        assertThat(Documents.sample().hash().toString())
                .isEqualTo("73e7894eb762de396ddc2def0a8498f81da76325fafc10be51b18cfb5590cff6");
    }

    @Test
    void signatureBindsChainNodeContractAndVersion() {
        SignedDeployment signed = SignedDeployment.sign(OWNER, "quilt-test", 5, 7, Documents.sample());
        assertThat(signed.verifies()).isTrue();
        assertThat(SignedDeployment.decode(signed.encode())).isEqualTo(signed);
        byte[] sig = signed.signature();
        assertThat(new SignedDeployment("quilt-test", 5, 8, Documents.sample(), OWNER.publicKey(), sig).verifies()).isFalse();
        assertThat(new SignedDeployment("quilt-test", 6, 7, Documents.sample(), OWNER.publicKey(), sig).verifies()).isFalse();
        assertThat(new SignedDeployment("other", 5, 7, Documents.sample(), OWNER.publicKey(), sig).verifies()).isFalse();
        DeploymentDocument v3 = new DeploymentDocument(3, Documents.sample().workloads());
        assertThat(new SignedDeployment("quilt-test", 5, 7, v3, OWNER.publicKey(), sig).verifies()).isFalse();
        assertThat(new SignedDeployment("quilt-test", 5, 7, Documents.sample(), Documents.key(9).publicKey(), sig).verifies())
                .isFalse();
    }

    @Test
    void malformedInputNamesFieldAndOffset() {
        byte[] golden = Documents.vector("deployment-v1.hex");
        byte[] badFormat = golden.clone();
        badFormat[0] = 2;
        assertThatThrownBy(() -> DeploymentDocument.decode(badFormat)).isInstanceOf(CodecException.class)
                .hasMessageContaining("format").hasMessageContaining("unknown format 2");
        assertThatThrownBy(() -> DeploymentDocument.decode(Arrays.copyOf(golden, golden.length + 1)))
                .isInstanceOf(CodecException.class).hasMessageContaining("1 trailing bytes");
        byte[] badTag = golden.clone();
        badTag[13] = 9;
        assertThatThrownBy(() -> DeploymentDocument.decode(badTag)).isInstanceOf(CodecException.class)
                .hasMessageContaining("unknown tag 9");
    }

    @Test
    void documentsRefuseInconsistentContent() {
        assertThatThrownBy(() -> new DeploymentDocument(1, List.of(new Workload.Volume("a", 1, 64L << 20),
                new Workload.Volume("a", 1, 64L << 20)))).hasMessage("workload name a is used twice");
        assertThatThrownBy(() -> new DeploymentDocument(1, List.of(new Workload.Volume("a", 2, 64L << 20))))
                .hasMessage("workload a version: 2 (expected: <= document version 1)");
        assertThatThrownBy(() -> Documents.process(1, "true", 1L << 20, Workload.RestartPolicy.NEVER))
                .hasMessageContaining("limits:");
    }
}
