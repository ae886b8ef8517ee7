package dev.quilt.cli.command;

import dev.quilt.cli.ErrorPrefixed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code quilt fs <command>}: the copy-on-write filesystem over snapshots. */
@Command(name = "fs",
        mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class,
        sortOptions = false,
        usageHelpWidth = 100,
        description = {"Mount a snapshot read-write with FUSE: chunks are fetched from zstor when first read and",
                "cached under a size bound; writes are copy-on-write per chunk and flushed back to zstor in the",
                "background; `seal` turns the current tree into a new snapshot."},
        subcommands = {FsMountCommand.class, FsSealCommand.class})
public final class FsCommand implements Runnable, ErrorPrefixed {
    @Spec
    private CommandSpec spec;

    @Override
    public String errorPrefix() {
        return "quilt fs";
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
