package dev.quilt.cli.deploy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quilt apply -f FILE}: makes the grid hold what the file declares, idempotently. */
@Command(name = "apply", mixinStandardHelpOptions = true, usageHelpWidth = 100,
        description = {"Create or update the deployments a file declares, one after the other, each until healthy; "
                + "those already as declared are left alone, so a second apply changes nothing.",
                "Then destroy the deployments applied from this file that it no longer declares (quilt plan shows them "
                        + "with -); deployments made by quilt deploy or another file are not touched.",
                "Members of one group are placed on distinct farms and countries when the grid has them."})
public final class ApplyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private GridOptions grid;

    @Option(names = "-f", paramLabel = "FILE", required = true, description = "The deployment file (YAML).")
    private Path file;

    @Override
    public Integer call() throws Exception {
        DeploymentFile declared = DeploymentFile.read(file);
        PrintWriter err = spec.commandLine().getErr();
        Grid g = grid.resolve(err);
        Deployer deployer = new Deployer(g, err);
        Plan plan = Plan.of(declared, g, deployer);
        List<Plan.Step> steps = plan.steps();
        PrintWriter out = spec.commandLine().getOut();
        out.print(plan.describe());
        out.flush();
        Map<Long, LedgerView.NodeInfo> nodes = new HashMap<>();
        LedgerView.nodes(g.api()).forEach(n -> nodes.put(n.id(), n));
        Map<String, Set<Long>> groupFarms = new HashMap<>();
        Map<String, Set<String>> groupCountries = new HashMap<>();
        for (Plan.Step s : steps) {
            s.live().ifPresent(l -> s.entry().group().ifPresent(group -> l.parts().forEach(p -> place(group, nodes.get(p.node()),
                    groupFarms, groupCountries))));
        }
        for (Plan.Step s : steps) {
            switch (s.action()) {
                case UNCHANGED -> s.live().flatMap(Listing.Live::cached).filter(r -> !r.file().equals(Optional.of(declared.path())))
                        .ifPresent(r -> recordFile(r, declared, g));
                case CREATE -> {
                    Deployer.Request r = s.request();
                    if (s.entry().group().isPresent()) {
                        String group = s.entry().group().get();
                        r = new Deployer.Request(r.name(), r.template(), r.templateRef(), r.size(), r.set(), r.constraints(),
                                new Scheduler.Spread(Set.copyOf(groupFarms.getOrDefault(group, Set.of())),
                                        Set.copyOf(groupCountries.getOrDefault(group, Set.of()))));
                    }
                    DeploymentRecord record = recordFile(deployer.deploy(r), declared, g);
                    s.entry().group().ifPresent(group -> place(group, nodes.get(record.node()), groupFarms, groupCountries));
                    out.println("+ " + record.name() + ": healthy on node " + record.node() + " (contract " + record.contract() + ")");
                }
                case UPDATE -> {
                    DeploymentRecord record = recordFile(deployer.update(s.request(), s.live().orElseThrow()), declared, g);
                    out.println("~ " + record.name() + ": updated on node " + record.node() + " (contract " + record.contract() + ")");
                }
            }
            out.flush();
        }
        // Removals last: a failure above leaves what ran running.
        for (Plan.Removal r : plan.removals()) {
            out.println("- " + deployer.remove(r.live()));
            out.flush();
        }
        return 0;
    }

    /** Remembers that {@code file} declares the deployment, so that dropping it from the file proposes destroying it. */
    private static DeploymentRecord recordFile(DeploymentRecord r, DeploymentFile file, Grid g) {
        DeploymentRecord withFile = r.withFile(file.path());
        try {
            withFile.write(g.chainId());
        } catch (java.io.IOException e) {
            throw dev.quilt.cli.CliException.unavailable("cannot write the record of " + r.name() + ": " + e.getMessage(), e);
        }
        return withFile;
    }

    private static void place(String group, LedgerView.NodeInfo node, Map<String, Set<Long>> farms, Map<String, Set<String>> countries) {
        if (node != null) {
            farms.computeIfAbsent(group, k -> new HashSet<>()).add(node.farmId());
            countries.computeIfAbsent(group, k -> new HashSet<>()).add(node.country());
        }
    }
}
