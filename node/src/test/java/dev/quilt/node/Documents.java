package dev.quilt.node;

import dev.quilt.common.crypto.Ed25519KeyPair;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sample documents and keys for the node's tests. */
final class Documents {
    private Documents() {}

    static Ed25519KeyPair key(int n) {
        byte[] seed = new byte[32];
        seed[0] = (byte) n;
        seed[31] = (byte) (n >> 8);
        return Ed25519KeyPair.fromSeed(seed);
    }

    /**
     * The document of the golden vector: one process mounting one volume, with two ports, an HTTP
     * health check and a sealed secret; and a zdb namespace.
     */
    static DeploymentDocument sample() {
        return new DeploymentDocument(2, List.of(
                new Workload.Volume("data", 1, 64L << 20),
                new Workload.Process("web", 2, "/bin/sh", List.of("-c", "echo hi"), Map.of("MODE", "test"),
                        new Workload.Limits(500, 64L << 20, 32), Workload.RestartPolicy.ON_FAILURE,
                        List.of(new Workload.Mount("data", "/data")))
                        .withPorts(List.of(new Workload.Port("rpc", Workload.Protocol.TCP),
                                new Workload.Port("p2p-gossip", Workload.Protocol.UDP)))
                        .withHealth(new HealthCheck.Http("rpc", HealthCheck.Method.POST, "/json_rpc",
                                "{\"method\":\"get_info\"}", 200, Optional.of("/result/status"), Optional.of("OK"),
                                new HealthCheck.Timing(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMillis(500))))
                        .withSecrets(List.of(new Workload.SealedSecret("api-key", sealedSample()))),
                new Workload.ZdbNamespace("cache", 1, 1L << 30, Workload.ZdbMode.USER, Optional.of("s3cret"), false)));
    }

    /**
     * The document of the thin golden vector: a thin snapshot named on the ledger, bound into a
     * process that reads it.
     */
    static DeploymentDocument thinSample() {
        byte[] manifest = new byte[32];
        for (int i = 0; i < manifest.length; i++) {
            manifest[i] = (byte) (0xa0 + i);
        }
        return new DeploymentDocument(1, List.of(
                new Workload.Thin("chain", 1, dev.quilt.common.crypto.Hash256.of(manifest), Optional.of("regtest.v1"),
                        64L << 20, new Workload.SealedSecret("zstor", sealedSample())),
                new Workload.Process("reader", 1, "/bin/cat", List.of("/data/file"), Map.of(),
                        new Workload.Limits(100, 16L << 20, 8), Workload.RestartPolicy.NEVER,
                        List.of(new Workload.Mount("chain", "/data")))));
    }

    /** Opaque sealed bytes for the vector: 00 01 02 … 3f (the codec does not look inside). */
    static byte[] sealedSample() {
        byte[] b = new byte[64];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    /** A process-only document. */
    static DeploymentDocument process(long version, String script, long memoryBytes, Workload.RestartPolicy restart) {
        return new DeploymentDocument(version, List.of(new Workload.Process("job", version, "/bin/sh", List.of("-c", script),
                Map.of(), new Workload.Limits(1000, memoryBytes, 64), restart, List.of())));
    }

    /** Annotated hex: lines starting with '#' are comments. */
    static byte[] vector(String file) {
        try (InputStream in = Documents.class.getResourceAsStream("/vectors/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no vector file " + file);
            }
            StringBuilder hex = new StringBuilder();
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> hex.append(l.strip()));
            return HexFormat.of().parseHex(hex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
