package dev.quilt.cli.deploy;

import dev.quilt.cli.CliException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
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
                "With -f, keep printing new output until interrupted (polled every second)."})
public final class LogsCommand implements Callable<Integer> {
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
        String previous = "";
        do {
            String log;
            try {
                log = intake.logs(part.contract(), full);
            } catch (IOException e) {
                throw CliException.unavailable(e.getMessage(), e);
            }
            out.print(newOutput(previous, log));
            out.flush();
            previous = log;
            if (follow) {
                Thread.sleep(1000);
            }
        } while (follow);
        return 0;
    }

    /** What {@code now} adds to {@code before}; both are tails of the same growing output, so they overlap. */
    static String newOutput(String before, String now) {
        if (before.isEmpty()) {
            return now;
        }
        if (now.startsWith(before)) {
            return now.substring(before.length());
        }
        // The window slid: find the longest end of `before` that starts `now`.
        List<Integer> starts = new java.util.ArrayList<>();
        for (int i = Math.max(0, before.length() - now.length()); i < before.length(); i++) {
            starts.add(i);
        }
        for (int i : starts) {
            if (now.startsWith(before.substring(i))) {
                return now.substring(before.length() - i);
            }
        }
        return now;
    }
}
