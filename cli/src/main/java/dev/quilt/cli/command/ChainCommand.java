package dev.quilt.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code quilt chain}: create and run the grid ledger. */
@Command(name = "chain",
        mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class,
        usageHelpWidth = 100,
        description = "Create and run the grid ledger: a validator or a full node.",
        subcommands = {ChainInitCommand.class, ChainRunCommand.class})
public final class ChainCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand: init or run");
    }
}
