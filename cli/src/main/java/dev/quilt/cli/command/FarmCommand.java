package dev.quilt.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code quilt farm}: a farmer's commands on the chain. */
@Command(name = "farm",
        mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class,
        usageHelpWidth = 100,
        description = "Manage farms on the chain.",
        subcommands = {FarmCreateCommand.class})
public final class FarmCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand: create");
    }
}
