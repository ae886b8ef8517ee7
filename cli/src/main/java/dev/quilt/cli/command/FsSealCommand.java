package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.fs.FsControl;
import dev.quilt.fs.FsMount;
import dev.quilt.zstor.Zstor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code quilt fs seal MOUNTPOINT|CACHE --name NEW}. */
@Command(name = "seal", mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class, sortOptions = false, usageHelpWidth = 100,
        description = {"Turn a mounted tree's current state into a new snapshot: every written chunk is flushed to",
                "zstor, then a manifest is stored and NEW recorded as its name. TARGET is the mountpoint or the",
                "--cache directory of a running `quilt fs mount` (asked through its control socket), or the cache",
                "directory of a tree that is not mounted (sealed here). Prints the new manifest hash."})
final class FsSealCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private FsZstorOptions zstor;

    @Parameters(index = "0", paramLabel = "TARGET", description = "A quilt mountpoint, or a mount's cache directory.")
    private Path target;

    @Option(names = {"-n", "--name"}, paramLabel = "NEW", required = true, description = "The new snapshot's name.")
    private String name;

    @Option(names = "--height", paramLabel = "N", description = "The chain height the tree is at, recorded in the manifest.")
    private Long height;

    @Override
    public Integer call() throws IOException {
        FsZstorOptions.checkName(name);
        Path cache = FsControl.cacheDirOf(target).orElse(target);
        if (!Files.isDirectory(cache)) {
            throw CliException.input(target + " is neither a quilt mountpoint nor a cache directory");
        }
        OptionalLong h = height == null ? OptionalLong.empty() : OptionalLong.of(height);
        Hash256 hash;
        try {
            Optional<Hash256> remote = FsControl.requestSeal(cache, name, h);
            if (remote.isPresent()) {
                hash = remote.get();
            } else {
                try (Zstor store = zstor.open();
                        FsMount mount = FsMount.openExisting(store, new FsMount.Options(cache, Long.MAX_VALUE,
                                Duration.ofSeconds(30), 0, Duration.ofSeconds(2)), FsMount.describeBackends(zstor.config()))) {
                    hash = FsControl.sealAndName(mount, zstor.catalog(store), name, h);
                }
            }
        } catch (IOException e) {
            throw CliException.input("cannot seal " + target + ": " + e.getMessage());
        }
        spec.commandLine().getOut().println("sealed " + name + " " + hash.hex());
        return 0;
    }
}
