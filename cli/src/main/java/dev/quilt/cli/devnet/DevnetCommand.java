package dev.quilt.cli.devnet;

import dev.quilt.cli.CliException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code quilt devnet}: a local grid on loopback (chain, node agents, funded identities). */
@Command(name = "devnet", mixinStandardHelpOptions = true, usageHelpWidth = 100,
        description = {"A local grid on loopback: a chain, node agents with their zdb, funded farmer and user identities.",
                "Kept in $QUILT_HOME/devnet (default ~/.quilt/devnet); --dir chooses another directory."},
        subcommands = {DevnetCommand.Up.class, DevnetCommand.StatusCommand.class, DevnetCommand.Down.class, DevnetCommand.Supervise.class})
public final class DevnetCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand: up, status or down");
    }

    /** {@code quilt devnet up}. */
    @Command(name = "up", mixinStandardHelpOptions = true, usageHelpWidth = 100, sortOptions = false,
            description = {"Start the local devnet, creating it the first time, and wait until it is ready.",
                    "Sizes apply when the devnet is created; an existing devnet keeps its own. Progress on stderr."})
    public static final class Up implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", description = "Devnet directory (default: $QUILT_HOME/devnet).")
        private Path dir;

        @Option(names = "--nodes", paramLabel = "N", defaultValue = "3", description = "Node agents (default: ${DEFAULT-VALUE}).")
        private int nodes;

        @Option(names = "--farms", paramLabel = "F", defaultValue = "3", description = "Farms, each in its own country (default: ${DEFAULT-VALUE}).")
        private int farms;

        @Option(names = "--validators", paramLabel = "V", defaultValue = "1", description = "Validators (default: ${DEFAULT-VALUE}).")
        private int validators;

        @Override
        public Integer call() throws IOException, InterruptedException {
            Devnet devnet = new Devnet(QuiltHome.devnet(dir));
            if (devnet.exists() && (spec.commandLine().getParseResult().hasMatchedOption("--nodes")
                    || spec.commandLine().getParseResult().hasMatchedOption("--farms")
                    || spec.commandLine().getParseResult().hasMatchedOption("--validators"))) {
                DevnetConfig c = devnet.config();
                if (c.nodes().size() != nodes && spec.commandLine().getParseResult().hasMatchedOption("--nodes")
                        || c.farms().size() != farms && spec.commandLine().getParseResult().hasMatchedOption("--farms")
                        || c.raftPorts().size() != validators && spec.commandLine().getParseResult().hasMatchedOption("--validators")) {
                    throw CliException.input("the devnet in " + devnet.layout().dir() + " has " + c.raftPorts().size() + " validator(s), "
                            + c.farms().size() + " farm(s) and " + c.nodes().size() + " node(s); `quilt devnet down --purge` first to resize it");
                }
            }
            DevnetConfig config = devnet.up(validators, farms, nodes, spec.commandLine().getErr());
            PrintWriter out = spec.commandLine().getOut();
            out.print(describe(devnet, devnet.status(config)));
            out.flush();
            return 0;
        }
    }

    /** {@code quilt devnet status}. */
    @Command(name = "status", mixinStandardHelpOptions = true, usageHelpWidth = 100,
            description = "Show the devnet's parts, its chain head and its nodes; exit 1 when it is not fully up.")
    public static final class StatusCommand implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", description = "Devnet directory (default: $QUILT_HOME/devnet).")
        private Path dir;

        @Override
        public Integer call() {
            Devnet devnet = new Devnet(QuiltHome.devnet(dir));
            if (!devnet.exists()) {
                throw CliException.input("no devnet in " + devnet.layout().dir() + "; start one with quilt devnet up");
            }
            Devnet.Status status = devnet.status(devnet.config());
            PrintWriter out = spec.commandLine().getOut();
            out.print(describe(devnet, status));
            out.flush();
            return status.ready() ? 0 : dev.quilt.cli.ExitCodes.UNHEALTHY;
        }
    }

    /** {@code quilt devnet down}. */
    @Command(name = "down", mixinStandardHelpOptions = true, usageHelpWidth = 100,
            description = "Stop the devnet's supervisor and parts; the data stays for the next up unless --purge.")
    public static final class Down implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", description = "Devnet directory (default: $QUILT_HOME/devnet).")
        private Path dir;

        @Option(names = "--purge", description = "Also delete the devnet directory: its chain, keys and nodes' data.")
        private boolean purge;

        @Override
        public Integer call() throws IOException {
            Devnet devnet = new Devnet(QuiltHome.devnet(dir));
            boolean wasRunning = devnet.down();
            PrintWriter out = spec.commandLine().getOut();
            out.println("devnet " + devnet.layout().dir() + ": " + (wasRunning ? "stopped" : "was not running"));
            if (purge && java.nio.file.Files.exists(devnet.layout().dir())) {
                try (var walk = java.nio.file.Files.walk(devnet.layout().dir())) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        java.nio.file.Files.deleteIfExists(p);
                    }
                }
                out.println("devnet " + devnet.layout().dir() + ": deleted");
            }
            return 0;
        }
    }

    /** {@code quilt devnet supervise}: what {@code up} runs in the background. */
    @Command(name = "supervise", hidden = true, mixinStandardHelpOptions = true, usageHelpWidth = 100,
            description = "Run the devnet's parts in the foreground and restart any that dies (quilt devnet up runs this).")
    public static final class Supervise implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", description = "Devnet directory (default: $QUILT_HOME/devnet).")
        private Path dir;

        @Override
        public Integer call() throws IOException, InterruptedException {
            Devnet devnet = new Devnet(QuiltHome.devnet(dir));
            return new Supervisor(devnet.layout(), devnet.config()).run() ? 0 : dev.quilt.cli.ExitCodes.UNAVAILABLE;
        }
    }

    static String describe(Devnet devnet, Devnet.Status s) {
        StringBuilder b = new StringBuilder();
        b.append("devnet     ").append(s.dir()).append('\n');
        b.append("supervisor ").append(s.supervisor().map(p -> "pid " + p).orElse("not running")).append('\n');
        b.append("chain API  ").append(s.api()).append(s.height().isPresent() ? "  (head " + s.height().getAsLong() + ")" : "  (not answering)")
                .append('\n');
        b.append("genesis    ").append(devnet.layout().genesis()).append('\n');
        b.append("user key   ").append(devnet.layout().userKey()).append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PART", "PID", "NODE", "INTAKE", "FARM", "COUNTRY"});
        s.parts().forEach((part, pid) -> {
            Devnet.NodeStatus n = s.nodes().stream().filter(x -> x.name().equals(part)).findFirst().orElse(null);
            rows.add(new String[] {part, pid.map(Object::toString).orElse("down"),
                    n == null ? "-" : n.id().isPresent() ? Long.toString(n.id().getAsLong()) : "unregistered",
                    n == null ? "-" : n.intake() + (n.listening() ? "" : " (closed)"), n == null ? "-" : n.farm(), n == null ? "-" : n.country()});
        });
        b.append(dev.quilt.cli.command.TextTable.format(rows, rows.get(0).length));
        b.append("keys and logs: ").append(devnet.layout().dir().resolve("keys")).append(", ").append(devnet.layout().log("x").getParent()).append('\n');
        return b.toString();
    }
}
