package dev.quilt.cli.command;

import dev.quilt.cli.ErrorPrefixed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code quilt snapshot <command>}: snapshots of directories, kept in zstor. */
@Command(name = "snapshot",
        mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class,
        sortOptions = false,
        usageHelpWidth = 100,
        description = {"Snapshots of directories (a chain's data directory) kept in zstor: content-addressed",
                "chunks, deduplicated and verified on every read, and a manifest whose hash names the snapshot.",
                "Mount one with `quilt fs mount`."},
        subcommands = {SnapshotCreateCommand.class, SnapshotLsCommand.class, SnapshotRmCommand.class,
                SnapshotGcCommand.class})
public final class SnapshotCommand implements Runnable, ErrorPrefixed {
    @Spec
    private CommandSpec spec;

    @Override
    public String errorPrefix() {
        return "quilt snapshot";
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
