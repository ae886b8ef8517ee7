package dev.quilt.cli.deploy;

import dev.quilt.chain.ChainClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The user's deployments, rebuilt from the ledger and the nodes: the user's live node contracts,
 * and for each the workload names its node reports, whose prefix before {@code _} is the
 * deployment's name. The local cache only fills in what the ledger does not hold (template,
 * endpoints), and names a contract whose node does not answer.
 */
final class Listing {
    /** One deployment: its name and its contracts (one per node it runs on). */
    record Live(String name, List<Part> parts, Optional<DeploymentRecord> cached) {}

    /** A contract of a deployment, its node, ledger state and the node's view of its workloads. */
    record Part(long contract, long node, String endpoint, String state, List<IntakeClient.WorkloadState> workloads,
                Optional<String> unreachable) {}

    private Listing() {}

    static List<Live> list(Grid grid) {
        OptionalLong twin = grid.chain().call(c -> c.twinOf(grid.user().publicKey()));
        if (twin.isEmpty()) {
            return List.of();
        }
        Map<Long, String> endpoints = new LinkedHashMap<>();
        LedgerView.nodes(grid.api()).forEach(n -> endpoints.put(n.id(), n.endpoint()));
        Map<Long, DeploymentRecord> byContract = new LinkedHashMap<>();
        DeploymentRecord.all(grid.chainId()).forEach(r -> byContract.put(r.contract(), r));
        Map<String, List<Part>> parts = new LinkedHashMap<>();
        for (ChainClient.ContractSummary c : grid.chain().call(x -> x.contracts(twin, OptionalLong.empty(), Optional.empty()))) {
            if (!c.kind().equals("node") || c.state().equals("deleted") || c.nodeId().isEmpty()) {
                continue;
            }
            long node = c.nodeId().getAsLong();
            String endpoint = endpoints.getOrDefault(node, "");
            List<IntakeClient.WorkloadState> workloads = List.of();
            Optional<String> unreachable = Optional.empty();
            try {
                workloads = new IntakeClient(endpoint, grid.chainId(), node, grid.user()).status(c.id());
            } catch (IOException e) {
                unreachable = Optional.of(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unreachable = Optional.of("interrupted");
            }
            String name = workloads.stream().map(w -> w.name()).filter(n -> n.indexOf(Rendering.SEPARATOR) > 0)
                    .map(n -> n.substring(0, n.indexOf(Rendering.SEPARATOR))).findFirst()
                    .or(() -> Optional.ofNullable(byContract.get(c.id())).map(DeploymentRecord::name))
                    .orElse("contract-" + c.id());
            parts.computeIfAbsent(name, k -> new ArrayList<>()).add(new Part(c.id(), node, endpoint, c.state(), workloads, unreachable));
        }
        List<Live> out = new ArrayList<>();
        parts.forEach((name, ps) -> out.add(new Live(name, ps, DeploymentRecord.read(grid.chainId(), name)
                .filter(r -> ps.stream().anyMatch(p -> p.contract() == r.contract())))));
        return out;
    }

    /** The deployment, or a one-line error saying there is none. */
    static Live require(Grid grid, String name) {
        return find(grid, name).orElseThrow(() -> dev.quilt.cli.CliException.input("no deployment named " + name + " (quilt ls lists them)"));
    }

    static Optional<Live> find(Grid grid, String name) {
        return list(grid).stream().filter(l -> l.name().equals(name)).findFirst();
    }
}
