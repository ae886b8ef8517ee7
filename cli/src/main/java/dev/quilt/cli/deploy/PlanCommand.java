package dev.quilt.cli.deploy;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quilt plan -f FILE}: what {@code apply} would change; changes nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true, usageHelpWidth = 100,
        description = {"Show what quilt apply -f FILE would change: + create, ~ update in place, = unchanged, "
                + "- destroy (a deployment applied from this file that it no longer declares).",
                "The ledger's contracts and the nodes' workloads are the state; nothing is created or changed."})
public final class PlanCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private GridOptions grid;

    @Option(names = "-f", paramLabel = "FILE", required = true, description = "The deployment file (YAML).")
    private Path file;

    @Override
    public Integer call() {
        DeploymentFile declared = DeploymentFile.read(file);
        Grid g = grid.resolve(spec.commandLine().getErr());
        var out = spec.commandLine().getOut();
        out.print(Plan.of(declared, g, new Deployer(g, spec.commandLine().getErr())).describe());
        out.flush();
        return 0;
    }
}
