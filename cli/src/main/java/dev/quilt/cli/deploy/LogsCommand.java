package dev.quilt.cli.deploy;

import dev.quilt.cli.CliException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code quilt logs NAME}: the captured output of a deployment's process, from its node. */
@Command(name = "logs", mixinStandardHelpOptions = true, usageHelpWidth = 100, sortOptions = false,
        description = {"Print the last 64 KiB of a deployment's process output, as its node captured it.",
                "With -f, keep printing new output until interrupted: every byte once, as soon as the node has it;",
                "output rotated away before it was read is counted on stderr."})
public final class LogsCommand implements Callable<Integer> {
    /** How long one follow request may be held by the node waiting for output (the node allows 30 s). */
    private static final Duration FOLLOW_WAIT = Duration.ofSeconds(20);

    @Spec
    private CommandSpec spec;

    @Mixin
    private GridOptions grid;

    @Parameters(index = "0", paramLabel = "NAME", description = "The deployment's name (quilt ls).")
    private String name;

    @Option(names = "--workload", paramLabel = "W", description = "Which process (default: the first).")
    private String workload;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output.")
    private boolean follow;

    @Override
    public Integer call() throws InterruptedException {
        Grid g = grid.resolve(spec.commandLine().getErr());
        Listing.Live live = Listing.require(g, name);
        String prefix = name + Rendering.SEPARATOR;
        Listing.Part part = null;
        String full = null;
        for (Listing.Part p : live.parts()) {
            for (IntakeClient.WorkloadState w : p.workloads()) {
                boolean process = !w.message().startsWith("mounted");
                if (full == null && process && (workload == null || w.name().equals(prefix + workload))) {
                    part = p;
                    full = w.name();
                }
            }
        }
        if (full == null) {
            throw CliException.input(workload == null ? name + " has no process running" : name + " has no process " + workload);
        }
        IntakeClient intake = new IntakeClient(part.endpoint(), g.chainId(), part.node(), g.user());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long epoch = -1;
        long next = -1;
        do {
            IntakeClient.LogChunk chunk;
            try {
                // Following, a request that finds nothing new is held by the node until output comes.
                Duration wait = follow && epoch != -1 ? FOLLOW_WAIT : Duration.ZERO;
                long asked = System.nanoTime();
                chunk = intake.logsAfter(part.contract(), full, epoch, next, wait);
                if (wait.isPositive() && chunk.log().isEmpty() && !chunk.more() && chunk.epoch() == epoch
                        && System.nanoTime() - asked < wait.toNanos() / 2) {
                    // A node that does not hold requests answers at once: ask it each second instead.
                    Thread.sleep(1000);
                }
            } catch (IOException e) {
                throw CliException.unavailable(e.getMessage(), e);
            }
            if (epoch != -1 && chunk.epoch() != epoch) {
                err.println("quilt: " + name + ": the process's output starts over (a new version or a restarted agent)");
            } else if (chunk.skipped() > 0) {
                err.println("quilt: " + name + ": " + chunk.skipped() + " bytes of output were rotated away before they could be shown");
            }
            err.flush();
            out.print(chunk.log());
            out.flush();
            epoch = chunk.epoch();
            next = chunk.next();
        } while (follow);
        return 0;
    }
}
