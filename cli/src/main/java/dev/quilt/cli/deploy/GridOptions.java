package dev.quilt.cli.deploy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The grid and identity options every deployment command takes ({@link Grid} says how they resolve). */
public final class GridOptions {
    @Option(names = "--chain", paramLabel = "URL", description = "The grid's chain API (default: $QUILT_CHAIN, config.toml, else the local devnet).")
    String chain;

    @Option(names = "--identity", paramLabel = "FILE", description = "The key that owns and pays (default: the devnet's funded user).")
    Path identity;

    @Option(names = "--devnet-dir", paramLabel = "DIR", description = "The local devnet's directory (default: $QUILT_HOME/devnet).")
    Path devnetDir;

    Grid resolve(PrintWriter err) {
        return Grid.resolve(Optional.ofNullable(chain), Optional.ofNullable(identity), Optional.ofNullable(devnetDir), err);
    }
}
