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
                .isEqualTo("13072ccbf977beb988f5ffa7b2ed6efdca92c43afbb59b64ed771f0993c1951b");
    }

    @Test
    void thinSampleEncodesToItsGoldenVectorAndCountsItsCacheAsSsd() {
        byte[] golden = Documents.vector("deployment-thin-v1.hex");
        assertThat(Documents.thinSample().encode()).isEqualTo(golden);
        assertThat(DeploymentDocument.decode(golden)).isEqualTo(Documents.thinSample());
        assertThat(Documents.thinSample().hash().toString())
                .isEqualTo("bc0c31c9f252f994385182bfb8da3b27b2dca1c8dbdb7c56134f23dd880230e0");
        assertThat(Documents.thinSample().resources().sru()).isEqualTo(64L << 20);
        Workload.SealedSecret zstor = new Workload.SealedSecret("zstor", Documents.sealedSample());
        var manifest = dev.quilt.common.crypto.Hash256.ZERO;
        assertThatThrownBy(() -> new Workload.Thin("t", 1, manifest, java.util.Optional.of("Bad"), 64L << 20, zstor))
                .hasMessage("thin t snapshot name: 'Bad' (expected: [a-z0-9][a-z0-9._-]{0,63})");
        assertThatThrownBy(() -> new Workload.Thin("t", 1, manifest, java.util.Optional.empty(), 1024, zstor))
                .hasMessage("thin t cache: 1024 (expected: >= 8388608)");
        byte[] badName = golden.clone();
        // The snapshot name's first byte: after format, version, count, tag, name, version, manifest, presence, length.
        badName[1 + 8 + 4 + 1 + 4 + 5 + 8 + 32 + 1 + 4] = 'A';
        assertThatThrownBy(() -> DeploymentDocument.decode(badName)).isInstanceOf(CodecException.class)
                .hasMessageContaining("thin").hasMessageContaining("snapshot name: 'Aegtest.v1'");
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

    @Test
    void processesRefuseInconsistentPortsHealthAndSecrets() {
        Workload.Process web = (Workload.Process) Documents.sample().workloads().get(1);
        var tcp = new Workload.Port("rpc", Workload.Protocol.TCP);
        assertThat(new Workload.Port("p2p-gossip", Workload.Protocol.UDP).envName()).isEqualTo("QUILT_PORT_P2P_GOSSIP");
        assertThatThrownBy(() -> web.withPorts(List.of(tcp, tcp))).hasMessage("process web: port rpc is declared twice");
        assertThatThrownBy(() -> web.withPorts(List.of(new Workload.Port("rpc", Workload.Protocol.UDP))))
                .hasMessage("process web: health check on port rpc, which is not a tcp port of this process");
        assertThatThrownBy(() -> new Workload.Port("Rpc", Workload.Protocol.TCP))
                .hasMessage("port name: 'Rpc' (expected: [a-z][a-z0-9-]{0,15})");
        assertThatThrownBy(() -> new Workload.Process("w", 1, "/bin/sh", List.of("${port.nope}"), java.util.Map.of(),
                new Workload.Limits(100, 8L << 20, 8), Workload.RestartPolicy.NEVER, List.of()))
                .hasMessage("process w: arg refers to ${port.nope}, which is not a port of this process");
        assertThatThrownBy(() -> new Workload.Process("w", 1, "/bin/sh", List.of(), java.util.Map.of("QUILT_PORT_X", "1"),
                new Workload.Limits(100, 8L << 20, 8), Workload.RestartPolicy.NEVER, List.of()))
                .hasMessage("env name: QUILT_PORT_X (names starting with QUILT_PORT_ are set by the node)");
        var secret = web.secrets().getFirst();
        assertThatThrownBy(() -> web.withSecrets(List.of(secret, secret))).hasMessage("process web: secret api-key is given twice");
        assertThatThrownBy(() -> new Workload.SealedSecret("a", new byte[10]))
                .hasMessage("secret a: 10 sealed bytes (expected: 48 to 65584)");
        assertThatThrownBy(() -> new HealthCheck.Http("rpc", HealthCheck.Method.GET, "/", "x", 200,
                java.util.Optional.empty(), java.util.Optional.empty(), HealthCheck.Timing.DEFAULT))
                .hasMessage("health body: a GET check sends no body");
        assertThatThrownBy(() -> new HealthCheck.Timing(java.time.Duration.ZERO, java.time.Duration.ofMillis(10),
                java.time.Duration.ofSeconds(1))).hasMessage("health interval: 10 ms (expected: 100 to 3600000 ms)");
        // The document's resource needs do not depend on ports, checks or secrets.
        Workload data = Documents.sample().workloads().getFirst();
        var bare = new Workload.Process(web.name(), web.version(), web.command(), web.args(), web.env(), web.limits(),
                web.restart(), web.mounts());
        assertThat(new DeploymentDocument(2, List.of(data, bare)).resources())
                .isEqualTo(new DeploymentDocument(2, List.of(data, web)).resources());
    }

    @Test
    void unknownHealthKindAndProtocolNameTheField() {
        byte[] golden = Documents.vector("deployment-v1.hex");
        String hex = java.util.HexFormat.of().formatHex(golden);
        // The health kind follows the presence byte right after the "p2p-gossip" udp port.
        int kind = hex.indexOf(java.util.HexFormat.of().formatHex("p2p-gossip".getBytes(StandardCharsets.UTF_8))) / 2 + 10 + 2;
        byte[] badKind = golden.clone();
        badKind[kind] = 7;
        assertThatThrownBy(() -> DeploymentDocument.decode(badKind)).isInstanceOf(CodecException.class)
                .hasMessageContaining("health kind").hasMessageContaining("unknown kind 7");
        byte[] badProtocol = golden.clone();
        badProtocol[kind - 2] = 5;
        assertThatThrownBy(() -> DeploymentDocument.decode(badProtocol)).isInstanceOf(CodecException.class)
                .hasMessageContaining("port protocol").hasMessageContaining("unknown value 5");
    }
}
