package dev.quilt.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quilt.cli.CliException;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.node.DeploymentDocument;
import dev.quilt.node.SecretSealer;
import dev.quilt.node.Workload;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A template's secrets, sealed to one node for one contract: the values are generated here or read
 * from the file a parameter names, one value per name across the workloads, and leave this machine
 * only sealed to the node's X25519 key, which is checked against the node's key on the ledger first.
 */
final class Secrets {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    static boolean any(Template t) {
        return t.workloads().stream().anyMatch(w -> !w.secrets().isEmpty());
    }

    /** The plaintext of each secret name: generated, or read from the file its parameter names. */
    static Map<String, byte[]> values(Template t, Map<String, String> params) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Template.WorkloadSpec w : t.workloads()) {
            for (Template.Secret s : w.secrets()) {
                if (out.containsKey(s.name())) {
                    continue;
                }
                if (s.fromFileParameter().isPresent()) {
                    String parameter = s.fromFileParameter().get();
                    String file = params.get(parameter);
                    if (file == null) {
                        throw CliException.input("template " + t.name() + " needs secret " + s.name() + " from a file: pass --set "
                                + parameter + "=FILE");
                    }
                    try {
                        out.put(s.name(), Files.readAllBytes(Path.of(file)));
                    } catch (IOException e) {
                        throw CliException.input("--set " + parameter + ": cannot read " + file + " (" + e.getMessage() + ")");
                    }
                } else if (s.generate().orElseThrow().equals("ed25519")) {
                    out.put(s.name(), (HexFormat.of().formatHex(Ed25519KeyPair.generate().seed()) + "\n").getBytes(StandardCharsets.US_ASCII));
                } else {
                    byte[] random = new byte[32];
                    RANDOM.nextBytes(random);
                    out.put(s.name(), HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
        return out;
    }

    /** The node's sealing key, once its signature checks against the node's key on the ledger. */
    static byte[] sealingKey(Grid grid, LedgerView.NodeInfo node) {
        JsonNode twins = LedgerView.get(grid.api(), "v1/twins");
        Ed25519PublicKey nodeKey = null;
        for (JsonNode t : twins) {
            if (t.get("id").asLong() == node.twinId()) {
                nodeKey = Ed25519PublicKey.fromHex(t.get("account").asText());
            }
        }
        if (nodeKey == null) {
            throw CliException.unavailable("node " + node.id() + "'s twin " + node.twinId() + " is not on the ledger", null);
        }
        JsonNode answer;
        try {
            String endpoint = node.endpoint().endsWith("/") ? node.endpoint() : node.endpoint() + "/";
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint).resolve("v1/node/sealing-key"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            answer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
        } catch (IOException e) {
            throw CliException.unavailable("cannot get node " + node.id() + "'s sealing key: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unavailable("interrupted", e);
        }
        byte[] key = HexFormat.of().parseHex(answer.path("key").asText(""));
        byte[] signature = HexFormat.of().parseHex(answer.path("signature").asText(""));
        if (!SecretSealer.verifySealingKey(nodeKey, grid.chainId(), node.id(), key, signature)) {
            throw CliException.unavailable("node " + node.id() + "'s sealing key is not signed by its key on the ledger; nothing sealed", null);
        }
        return key;
    }

    /** The document with each process's secrets sealed to the node for this contract. */
    static DeploymentDocument seal(DeploymentDocument doc, Template t, String deployment, Map<String, byte[]> values, byte[] sealingKey,
                                   String chainId, long nodeId, long contract) {
        List<Workload> out = new ArrayList<>();
        for (Workload w : doc.workloads()) {
            if (w instanceof Workload.Process p) {
                String role = p.name().substring(deployment.length() + 1);
                List<Workload.SealedSecret> sealed = new ArrayList<>();
                t.workloads().stream().filter(s -> s.name().equals(role)).flatMap(s -> s.secrets().stream())
                        .forEach(s -> sealed.add(SecretSealer.seal(sealingKey, chainId, nodeId, contract, s.name(), values.get(s.name()))));
                out.add(p.withSecrets(sealed));
            } else {
                out.add(w);
            }
        }
        return new DeploymentDocument(doc.version(), out);
    }
}
