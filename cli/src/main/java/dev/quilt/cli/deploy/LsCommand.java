package dev.quilt.cli.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quilt.cli.command.TextTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quilt ls}: the user's deployments, rebuilt from the ledger and the nodes. */
@Command(name = "ls", mixinStandardHelpOptions = true, usageHelpWidth = 100, sortOptions = false,
        description = {"List your deployments: one row per contract.",
                "Columns: NAME, TEMPLATE (from this machine's records, '-' when it has none), CONTRACT, NODE, STATE on the "
                        + "ledger (created or grace), WORKLOADS as the node reports them."})
public final class LsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private GridOptions grid;

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        List<Listing.Live> live = Listing.list(grid.resolve(spec.commandLine().getErr()));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Listing.Live l : live) {
                for (Listing.Part p : l.parts()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", l.name());
                    m.put("template", l.cached().map(DeploymentRecord::template).orElse(null));
                    m.put("contract", p.contract());
                    m.put("node", p.node());
                    m.put("state", p.state());
                    m.put("workloads", p.workloads());
                    m.put("endpoints", l.cached().map(DeploymentRecord::endpoints).orElse(Map.of()));
                    rows.add(m);
                }
            }
            out.println(new ObjectMapper().writeValueAsString(rows));
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "TEMPLATE", "CONTRACT", "NODE", "STATE", "WORKLOADS"});
            for (Listing.Live l : live) {
                for (Listing.Part p : l.parts()) {
                    rows.add(new String[] {l.name(), l.cached().map(DeploymentRecord::template).orElse("-"), Long.toString(p.contract()),
                            Long.toString(p.node()), p.state(), workloads(l.name(), p)});
                }
            }
            out.print(TextTable.format(rows, rows.get(0).length));
        }
        out.flush();
        return 0;
    }

    static String workloads(String name, Listing.Part p) {
        if (p.unreachable().isPresent()) {
            return "node unreachable";
        }
        List<String> out = new ArrayList<>();
        for (IntakeClient.WorkloadState w : p.workloads()) {
            String short_ = w.name().startsWith(name + Rendering.SEPARATOR) ? w.name().substring(name.length() + 1) : w.name();
            out.add(short_ + " " + w.state().toLowerCase(java.util.Locale.ROOT));
        }
        return out.isEmpty() ? "none running" : String.join(", ", out);
    }
}
