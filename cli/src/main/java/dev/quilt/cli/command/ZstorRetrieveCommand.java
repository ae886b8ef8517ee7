package dev.quilt.cli.command;

import dev.quilt.zstor.ObjectInfo;
import dev.quilt.zstor.ObjectNotFoundException;
import dev.quilt.zstor.Zstor;
import dev.quilt.zstor.daemon.DaemonClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quilt zstor retrieve [--key NAME] --file PATH}. */
@Command(name = "retrieve", mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class, sortOptions = false, usageHelpWidth = 100,
        description = {"Retrieve an object into a file.",
                "The bytes go to a temporary file next to PATH, which is renamed over PATH only once every byte",
                "verified: a failed retrieve never leaves half a file.",
                "Without --key, the key is derived from PATH as store derives it.",
                "When a daemon answers on the config's socket, it does the retrieve (writing the temporary file)."})
final class ZstorRetrieveCommand extends ZstorSubcommand {
    @Option(names = {"-k", "--key"}, paramLabel = "NAME", description = "The object's key (default: from --file).")
    private String key;

    @Option(names = {"-f", "--file"}, paramLabel = "PATH", required = true, description = "Where to write the object.")
    private Path file;

    @Override
    public Integer call() throws IOException {
        String objectKey = key != null ? key : ZstorStoreCommand.keyOf(zstor, file);
        Path target = file.toAbsolutePath().normalize();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
        ObjectInfo info;
        try {
            Optional<DaemonClient> daemon = zstor.daemon();
            info = daemon.isPresent() ? daemon.get().retrieve(objectKey, temp) : retrieve(objectKey, temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (ObjectNotFoundException e) {
            throw ZstorCommand.notFound(e);
        } finally {
            Files.deleteIfExists(temp);
        }
        out().printf("retrieved %s to %s (%d bytes)%n", info.key(), file, info.size());
        return 0;
    }

    private ObjectInfo retrieve(String objectKey, Path temp) throws IOException {
        try (Zstor store = zstor.open()) {
            long size = store.stat(objectKey).size();
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                    Progress progress = Progress.on(err(), "retrieve", size)) {
                OutputStream out = Channels.newOutputStream(channel);
                ObjectInfo info = store.retrieve(objectKey, out, progress);
                out.flush();
                channel.force(true);
                return info;
            }
        }
    }
}
