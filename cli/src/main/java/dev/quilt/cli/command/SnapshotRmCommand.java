package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.zstor.Zstor;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code quilt snapshot rm NAME --zstor CONFIG}. */
@Command(name = "rm", mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class, sortOptions = false, usageHelpWidth = 100,
        description = {"Forget a snapshot name, in the local catalog and in zstor. Its chunks and manifest stay",
                "until `quilt snapshot gc` finds that no other snapshot references them. A record of the name",
                "on the ledger (--publish) is not changed."})
final class SnapshotRmCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private FsZstorOptions zstor;

    @Parameters(index = "0", paramLabel = "NAME", description = "The snapshot name to forget.")
    private String name;

    @Override
    public Integer call() throws IOException {
        try {
            dev.quilt.fs.SnapshotCatalog.checkName(name);
        } catch (IllegalArgumentException e) {
            throw CliException.input(e.getMessage());
        }
        Optional<Hash256> removed;
        try (Zstor store = zstor.open()) {
            removed = zstor.catalog(store).remove(name);
        }
        if (removed.isEmpty()) {
            throw CliException.input("no snapshot named '" + name + "' in the local catalog or in zstor");
        }
        spec.commandLine().getOut().printf("removed snapshot %s (manifest %s); `quilt snapshot gc` deletes the chunks"
                + " no snapshot references%n", name, removed.get().hex());
        return 0;
    }
}
