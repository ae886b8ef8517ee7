package dev.quilt.cli.deploy;

import dev.quilt.cli.CliException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code quilt destroy NAME} or {@code quilt destroy -f FILE}: cancels the deployments' contracts. */
@Command(name = "destroy", mixinStandardHelpOptions = true, usageHelpWidth = 100, sortOptions = false,
        description = {"Remove a deployment (or every deployment of a file): its contracts are cancelled and awaited until "
                + "final; the node then stops the workloads and frees their capacity."})
public final class DestroyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private GridOptions grid;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The deployment's name (quilt ls).")
    private String name;

    @Option(names = "-f", paramLabel = "FILE", description = "Destroy every deployment the file declares.")
    private Path file;

    @Override
    public Integer call() throws InterruptedException, java.io.IOException {
        if ((name == null) == (file == null)) {
            throw CliException.input("give a NAME or -f FILE (one of them)");
        }
        List<String> names = file != null ? DeploymentFile.read(file).deployments().stream().map(DeploymentFile.Entry::name).toList()
                : List.of(name);
        Grid g = grid.resolve(spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        Deployer deployer = new Deployer(g, spec.commandLine().getErr());
        List<Listing.Live> live = Listing.list(g);
        for (String n : names) {
            Listing.Live l = live.stream().filter(x -> x.name().equals(n)).findFirst().orElse(null);
            if (l == null) {
                if (file == null) {
                    throw CliException.input("no deployment named " + n + " (quilt ls lists them)");
                }
                out.println(n + ": not deployed");
                continue;
            }
            out.println(deployer.remove(l));
        }
        out.flush();
        return 0;
    }
}
