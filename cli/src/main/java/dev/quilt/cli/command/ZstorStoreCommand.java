package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import dev.quilt.zstor.ObjectInfo;
import dev.quilt.zstor.Zstor;
import dev.quilt.zstor.daemon.DaemonClient;
import dev.quilt.zstor.daemon.FileKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quilt zstor store --file PATH [--key NAME]}. */
@Command(name = "store", mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class, sortOptions = false, usageHelpWidth = 100,
        description = {"Store a file: compressed, encrypted, erasure-coded and spread over the data backends.",
                "Storing a key that exists replaces its object.",
                "The key defaults to the file's path relative to the config's root (a file outside root is",
                "refused), or to its absolute path when no root is set.",
                "When a daemon answers on the config's socket, it does the store (reading the file itself)."})
final class ZstorStoreCommand extends ZstorSubcommand {
    @Option(names = {"-f", "--file"}, paramLabel = "PATH", required = true, description = "The file to store.")
    private Path file;

    @Option(names = {"-k", "--key"}, paramLabel = "NAME", description = "The object's key (default: from the path, see above).")
    private String key;

    @Override
    public Integer call() throws IOException {
        ZstorCommand.requireRegularFile("--file", file);
        String objectKey = key != null ? key : keyOf(zstor, file);
        long size = Files.size(file);
        ObjectInfo info;
        Optional<DaemonClient> daemon = zstor.daemon();
        if (daemon.isPresent()) {
            info = daemon.get().store(objectKey, file);
        } else {
            try (Zstor store = zstor.open(); InputStream in = Files.newInputStream(file);
                    Progress progress = Progress.on(err(), "store", size)) {
                info = store.store(objectKey, in, progress);
            }
        }
        out().printf("stored %s (%d bytes, %d+%d shards)%n", info.key(), info.size(),
                info.dataShards(), info.parityShards());
        return 0;
    }

    /** The default key of {@code file}: relative to the config's root, or absolute. */
    static String keyOf(ZstorCommand zstor, Path file) {
        try {
            return FileKeys.forFile(file, zstor.config().host().root());
        } catch (IllegalArgumentException e) {
            throw CliException.input(e.getMessage());
        }
    }
}
