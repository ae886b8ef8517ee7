package dev.quilt.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code quilt node}: the agent on a farmer's machine. */
@Command(name = "node",
        mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class,
        usageHelpWidth = 100,
        description = "Run the agent that offers this machine's capacity to the grid.",
        subcommands = {NodeRunCommand.class})
public final class NodeCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand: run");
    }
}
