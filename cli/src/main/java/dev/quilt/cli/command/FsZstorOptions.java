package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import dev.quilt.fs.ChunkStore;
import dev.quilt.fs.SnapshotCatalog;
import dev.quilt.zstor.Zstor;
import dev.quilt.zstor.config.ConfigException;
import dev.quilt.zstor.config.ZstorConfig;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What the snapshot and fs commands share: the zstor config the chunks live in, and the local name catalog. */
final class FsZstorOptions {
    @Option(names = {"-z", "--zstor"}, paramLabel = "CONFIG", required = true,
            description = "The zstor config (TOML) whose backends hold the chunks and manifests.")
    Path config;

    @Option(names = "--catalog", paramLabel = "DIR",
            description = "Where snapshot names are recorded locally (default: ~/.quilt/snapshots).")
    Path catalog;

    private ZstorConfig loaded;

    ZstorConfig config() {
        if (loaded == null) {
            try {
                loaded = ZstorConfig.load(config);
            } catch (NoSuchFileException e) {
                throw CliException.input("--zstor: " + config + ": no such file");
            } catch (ConfigException e) {
                throw CliException.input(e.getMessage());
            } catch (IOException e) {
                throw CliException.input("--zstor: cannot read " + config + ": " + e.getMessage());
            }
        }
        return loaded;
    }

    Zstor open() {
        return Zstor.open(config());
    }

    SnapshotCatalog catalog(Zstor zstor) {
        Path dir = catalog != null ? catalog : Path.of(System.getProperty("user.home"), ".quilt", "snapshots");
        return new SnapshotCatalog(dir, new ChunkStore(zstor));
    }

    /** {@code name} when it is a valid snapshot name, else a one-line input error naming {@code --name}. */
    static String checkName(String name) {
        try {
            return SnapshotCatalog.checkName(name);
        } catch (IllegalArgumentException e) {
            throw CliException.input("--name: " + e.getMessage());
        }
    }

    /** A snapshot's hash from a name or 64 hex digits, or a one-line input error. */
    dev.quilt.common.crypto.Hash256 resolve(SnapshotCatalog catalog, String nameOrHash) throws IOException {
        try {
            return catalog.resolve(nameOrHash).orElseThrow(() -> CliException.input("no snapshot named '" + nameOrHash
                    + "' in the local catalog or in zstor"));
        } catch (IllegalArgumentException e) {
            throw CliException.input(e.getMessage());
        }
    }
}
