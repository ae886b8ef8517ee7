package dev.quilt.cli.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quilt.chain.ChainClient.ContractSummary;
import dev.quilt.chain.Resources;
import dev.quilt.cli.CliException;
import dev.quilt.common.crypto.Ed25519PublicKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quilt contracts}: the chain's contracts, filtered by twin, node and state, as a table or JSON. */
@Command(name = "contracts", mixinStandardHelpOptions = true, usageHelpWidth = 100, sortOptions = false,
        description = {"List contracts on the chain.",
                "Columns: ID, KIND (node, name or rent), NODE, STATE (created, grace or deleted), RESOURCES reserved "
                        + "(cpu, memory, ssd, hdd) and the deployment hash's first 16 hex digits."})
public final class ContractsCommand implements Callable<Integer> {
    /** How many hex digits of a deployment hash the table shows: enough to tell deployments apart by eye. */
    static final int HASH_PREFIX = 16;

    @Spec
    private CommandSpec spec;

    /** Whose contracts: a twin by id or by its key file; at most one of the two. */
    static final class Owner {
        @Option(names = "--twin", paramLabel = "ID", description = "Only this twin's contracts.")
        Long twin;

        @Option(names = "--key", paramLabel = "FILE", description = "Only the contracts of this key's twin.")
        Path key;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private Owner owner;

    @Option(names = "--node", paramLabel = "ID", description = "Only contracts on this node.")
    private Long node;

    @Option(names = "--state", paramLabel = "STATE", description = "Only contracts in this state: created, grace or deleted.")
    private String state;

    @Option(names = "--api", paramLabel = "URL", defaultValue = "http://127.0.0.1:8545", description = "Chain API (default: ${DEFAULT-VALUE}).")
    private String api;

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    private boolean json;

    @Override
    public Integer call() {
        // Checked here so the message names the flag; the API's own refusal names its query parameter.
        if (state != null && !List.of("created", "grace", "deleted").contains(state)) {
            throw CliException.input("--state: " + state + " (expected: created, grace or deleted)");
        }
        ChainApiClient client = new ChainApiClient(api);
        OptionalLong twin = OptionalLong.empty();
        if (owner != null && owner.twin != null) {
            twin = OptionalLong.of(owner.twin);
        } else if (owner != null) {
            Ed25519PublicKey key = ChainKeys.readSeed("--key", owner.key).publicKey();
            twin = client.call(c -> c.twinOf(key));
            if (twin.isEmpty()) {
                throw CliException.input("--key: " + key.hex() + " has no twin on this chain");
            }
        }
        OptionalLong twinFilter = twin;
        OptionalLong nodeFilter = node == null ? OptionalLong.empty() : OptionalLong.of(node);
        List<ContractSummary> contracts = client.call(c -> c.contracts(twinFilter, nodeFilter, Optional.ofNullable(state)));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? json(contracts) : table(contracts));
        // picocli's writer flushes only on println; the JVM exits right after this.
        out.flush();
        return 0;
    }

    static String table(List<ContractSummary> contracts) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "TWIN", "KIND", "NODE", "STATE", "RESOURCES", "DEPLOYMENT"});
        for (ContractSummary c : contracts) {
            rows.add(new String[] {Long.toString(c.id()), Long.toString(c.twinId()), c.kind(),
                    c.nodeId().isPresent() ? Long.toString(c.nodeId().getAsLong()) : "-", c.state(),
                    c.resources().map(ContractsCommand::resources).orElse(c.name().map(n -> "name " + n).orElse("-")),
                    c.deploymentHash().map(h -> h.hex().substring(0, HASH_PREFIX)).orElse("-")});
        }
        return TextTable.format(rows, rows.get(0).length);
    }

    /** Reserved resources in the grid's units: CPUs, then memory, SSD and HDD in GiB. */
    static String resources(Resources r) {
        return r.cru() + " cpu, " + gib(r.mru()) + " mem, " + gib(r.sru()) + " ssd, " + gib(r.hru()) + " hdd";
    }

    private static String gib(long bytes) {
        long gib = 1L << 30;
        return bytes % gib == 0 ? bytes / gib + "G" : String.format("%.1fG", bytes / (double) gib);
    }

    static String json(List<ContractSummary> contracts) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ContractSummary c : contracts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id());
            m.put("twin", c.twinId());
            m.put("kind", c.kind());
            m.put("node", c.nodeId().isPresent() ? c.nodeId().getAsLong() : null);
            m.put("state", c.state());
            // The record serializes in component order (cru, mru, sru, hru), so the output is stable.
            m.put("resources", c.resources().orElse(null));
            m.put("deploymentHash", c.deploymentHash().map(h -> h.hex()).orElse(null));
            m.put("name", c.name().orElse(null));
            out.add(m);
        }
        try {
            return new ObjectMapper().writeValueAsString(out) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain maps always serialize", e);
        }
    }
}
