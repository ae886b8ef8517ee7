package dev.quilt.cli.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quilt.cli.devnet.QuiltHome;
import dev.quilt.common.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What this machine remembers of a deployment, in {@code $QUILT_HOME/deployments/<chain>/<name>.json}:
 * a cache. The ledger (the user's node contracts) and the nodes (workload names carry the
 * deployment's name) are the state; the cache adds the template, parameters, ports and the
 * document, which make updates minimal and let {@code ls} show endpoints.
 *
 * @param ports each port's {@code host:port}, as the node gave it
 * @param spec a fingerprint of template, parameters and size: {@code plan} compares it with the file
 * @param pricePerHour the reservation's hourly price at the node's farm policy when it was placed
 * @param deploymentFile the absolute path of the deployment file that declares it ({@code apply -f}); null
 *        for one made by {@code quilt deploy}. {@code plan} proposes destroying it once that file no longer declares it
 */
public record DeploymentRecord(String name, String template, String size, Map<String, String> params, long contract, long node,
                               String nodeEndpoint, Map<String, String> ports, Map<String, String> endpoints, String documentHex,
                               String spec, long pricePerHour, String deploymentFile) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The deployment file that declares it, if {@code apply -f} made or last touched it. */
    Optional<String> file() {
        return Optional.ofNullable(deploymentFile);
    }

    DeploymentRecord withFile(String path) {
        return new DeploymentRecord(name, template, size, params, contract, node, nodeEndpoint, ports, endpoints, documentHex, spec,
                pricePerHour, path);
    }

    static Path dir(String chainId) {
        return QuiltHome.dir().resolve("deployments").resolve(chainId);
    }

    static Optional<DeploymentRecord> read(String chainId, String name) {
        Path file = dir(chainId).resolve(name + ".json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), DeploymentRecord.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static List<DeploymentRecord> all(String chainId) {
        List<DeploymentRecord> out = new ArrayList<>();
        if (!Files.isDirectory(dir(chainId))) {
            return out;
        }
        try (var files = Files.list(dir(chainId))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                String n = f.getFileName().toString();
                read(chainId, n.substring(0, n.length() - 5)).ifPresent(out::add);
            }
        } catch (IOException e) {
            // a cache that cannot be listed is as good as empty: the ledger still is the state
        }
        return out;
    }

    void write(String chainId) throws IOException {
        Files.createDirectories(dir(chainId));
        AtomicFiles.write(dir(chainId).resolve(name + ".json"), JSON.writeValueAsBytes(this));
    }

    static void delete(String chainId, String name) throws IOException {
        Files.deleteIfExists(dir(chainId).resolve(name + ".json"));
    }
}
