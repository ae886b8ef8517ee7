package dev.quilt.cli.deploy;

import dev.quilt.cli.ExitCodes;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code quilt status NAME}: a deployment's contracts, workloads, endpoints and health now. */
@Command(name = "status", mixinStandardHelpOptions = true, usageHelpWidth = 100,
        description = {"Show a deployment: its contracts and nodes, each workload's state and message as the node reports "
                + "it, its endpoints and a health probe now.", "Exit 1 when a workload is not ok or the health check fails."})
public final class StatusCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private GridOptions grid;

    @Parameters(index = "0", paramLabel = "NAME", description = "The deployment's name (quilt ls).")
    private String name;

    @Override
    public Integer call() {
        Grid g = grid.resolve(spec.commandLine().getErr());
        Listing.Live live = Listing.require(g, name);
        PrintWriter out = spec.commandLine().getOut();
        boolean healthy = true;
        out.println(name + (live.cached().isPresent() ? " (template " + live.cached().get().template() + ", size " + live.cached().get().size() + ")" : ""));
        for (Listing.Part p : live.parts()) {
            out.println("  contract " + p.contract() + " on node " + p.node() + " (" + p.endpoint() + "): " + p.state());
            p.unreachable().ifPresent(u -> out.println("    node unreachable: " + u));
            healthy &= p.unreachable().isEmpty() && p.state().equals("created");
            for (IntakeClient.WorkloadState w : p.workloads()) {
                out.println("    " + w.name() + " v" + w.version() + "  " + w.state().toLowerCase(java.util.Locale.ROOT) + "  " + w.message()
                        + (w.health().isEmpty() ? "" : "  (health: " + w.health() + ")"));
                healthy &= w.state().equalsIgnoreCase("ok");
            }
        }
        if (live.cached().isPresent()) {
            DeploymentRecord r = live.cached().get();
            r.endpoints().forEach((k, v) -> out.println("  endpoint " + k + "  " + v));
            Template t = TemplateChoice.ref(r.template()).template();
            if (t.health().isPresent()) {
                Template.Health h = t.health().get();
                HealthProbe.Result result = r.ports().containsKey(h.port()) ? HealthProbe.probe(HealthProbe.target(h, r.ports().get(h.port())))
                        : new HealthProbe.Result(false, "no address known for port " + h.port());
                out.println("  health " + (result.healthy() ? "healthy" : "unhealthy") + ": " + result.detail());
                healthy &= result.healthy();
            }
        }
        out.flush();
        return healthy ? ExitCodes.OK : ExitCodes.UNHEALTHY;
    }
}
