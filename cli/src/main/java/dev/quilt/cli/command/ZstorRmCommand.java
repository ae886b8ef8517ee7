package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import dev.quilt.zstor.ObjectNotFoundException;
import dev.quilt.zstor.Zstor;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quilt zstor rm --key NAME}. */
@Command(name = "rm", mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class, usageHelpWidth = 100,
        description = "Delete an object: its metadata, then its shards.")
final class ZstorRmCommand extends ZstorSubcommand {
    @Option(names = {"-k", "--key"}, paramLabel = "NAME", required = true, description = "The object to delete.")
    private String key;

    @Override
    public Integer call() throws IOException {
        boolean deleted;
        try (Zstor store = zstor.open()) {
            deleted = store.delete(key);
        } catch (ObjectNotFoundException e) {
            throw ZstorCommand.notFound(e);
        }
        if (!deleted) {
            throw CliException.input(new ObjectNotFoundException(key).getMessage());
        }
        out().println("deleted " + key);
        return 0;
    }
}
