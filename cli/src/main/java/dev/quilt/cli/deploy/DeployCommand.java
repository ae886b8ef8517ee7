package dev.quilt.cli.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quilt.cli.CliException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code quilt deploy}: one template on the best node, followed until healthy. */
@Command(name = "deploy", mixinStandardHelpOptions = true, usageHelpWidth = 100, sortOptions = false,
        description = {"Deploy a template on the grid and wait until its health check passes.",
                "Without a configured grid it uses the local devnet, starting it if needed. It picks a node (ranked by spread, "
                        + "price, uptime and free capacity), creates the contract, waits until it is final, hands the signed "
                        + "document to the node and follows the workload (progress on stderr) until healthy; then prints the "
                        + "endpoints on stdout. Any failure cancels the contract it created and says why in one line.",
                "Templates: monero, quilt-fullnode, casper, polkadot, ethereum (see templates/README.md), or --template-file."})
public final class DeployCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private GridOptions grid;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TEMPLATE", description = "A bundled template's name.")
    private String templateName;

    @Option(names = "--template-file", paramLabel = "FILE", description = "Deploy this template file instead of a bundled one.")
    private Path templateFile;

    @Option(names = "--name", paramLabel = "NAME", description = "The deployment's name (default: the template's name).")
    private String name;

    @Option(names = "--size", paramLabel = "S|M|L", description = "Size preset (default: the template's).")
    private String size;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A template parameter; repeatable.")
    private Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--node", paramLabel = "ID", description = "Only this node.")
    private Long node;

    @Option(names = "--farm", paramLabel = "ID|NAME", description = "Only nodes of this farm.")
    private String farm;

    @Option(names = "--country", paramLabel = "CODE", description = "Only nodes in this country.")
    private String country;

    @Option(names = "--snapshot", paramLabel = "NAME", description = "Mount the template's data directory thin over this "
            + "snapshot published on the ledger (its latest version): the node fetches from zstor only what is read.")
    private String snapshot;

    @Option(names = {"-z", "--zstor"}, paramLabel = "CONFIG", description = "With --snapshot: the zstor config (TOML) holding "
            + "the snapshot, sealed to the node (default: ~/.quilt/zstor.toml).")
    private Path zstor;

    @Option(names = "--json", description = "Print the result as JSON on stdout.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        TemplateChoice choice = TemplateChoice.of(templateName, templateFile);
        String deployment = name != null ? name : choice.template().name();
        if (!Rendering.DEPLOYMENT_NAME.matcher(deployment).matches()) {
            throw CliException.input("--name " + deployment + " (expected: " + Rendering.DEPLOYMENT_NAME.pattern() + ")");
        }
        PrintWriter err = spec.commandLine().getErr();
        Deployer.Request request = new Deployer.Request(deployment, choice.template(), choice.ref(), size, set,
                new Scheduler.Constraints(node == null ? OptionalLong.empty() : OptionalLong.of(node), Optional.ofNullable(farm),
                        Optional.ofNullable(country)), Scheduler.Spread.none());
        // Parameters, size and required binaries are checked before any grid is contacted or started.
        Deployer.check(request);
        if (zstor != null && snapshot == null) {
            throw CliException.input("--zstor is used only with --snapshot");
        }
        Optional<ThinData> thin = Optional.ofNullable(snapshot).map(s -> new ThinData(s, zstor != null ? zstor
                : Path.of(System.getProperty("user.home"), ".quilt", "zstor.toml")));
        Grid g = grid.resolve(err);
        long started = System.nanoTime();
        DeploymentRecord record = new Deployer(g, err).deploy(request, thin);
        double seconds = (System.nanoTime() - started) / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", record.name());
            m.put("template", record.template());
            m.put("contract", record.contract());
            m.put("node", record.node());
            m.put("endpoints", record.endpoints());
            m.put("pricePerHour", record.pricePerHour());
            m.put("seconds", Math.round(seconds * 10) / 10.0);
            out.println(new ObjectMapper().writeValueAsString(m));
        } else {
            out.println(record.name() + ": healthy on node " + record.node() + " (contract " + record.contract() + ") after "
                    + String.format(java.util.Locale.ROOT, "%.1f", seconds) + " s; " + record.pricePerHour() + " units an hour");
            record.endpoints().forEach((k, v) -> out.println("  " + k + "  " + v));
        }
        out.flush();
        return 0;
    }
}
