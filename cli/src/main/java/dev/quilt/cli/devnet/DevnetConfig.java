package dev.quilt.cli.devnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quilt.common.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a devnet is made of, written once when it is created ({@code devnet.json}) and read by every
 * later start: ports, parts and their farms never change, so a restart resumes the same grid.
 *
 * @param apiPort   the first validator's HTTP API on loopback
 * @param raftPorts one Ratis port per validator
 */
public record DevnetConfig(String chainId, int apiPort, List<Integer> raftPorts, List<Farm> farms, List<NodeSpec> nodes) {
    static final String FILE = "devnet.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A farm of the devnet and its farmer's key file name. */
    public record Farm(String name, String country) {}

    /** A node agent: its farm (index into {@link #farms}) and its loopback ports. */
    public record NodeSpec(String name, int farm, int intakePort, int zdbPort) {}

    public DevnetConfig {
        raftPorts = List.copyOf(raftPorts);
        farms = List.copyOf(farms);
        nodes = List.copyOf(nodes);
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + apiPort;
    }

    static DevnetConfig read(Path dir) throws IOException {
        return JSON.readValue(Files.readAllBytes(dir.resolve(FILE)), DevnetConfig.class);
    }

    void write(Path dir) throws IOException {
        AtomicFiles.write(dir.resolve(FILE), JSON.writeValueAsBytes(this));
    }
}
