package dev.quilt.cli.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quilt snapshot ls}: the snapshot names recorded on this machine. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class, sortOptions = false, usageHelpWidth = 100,
        description = {"List the snapshot names recorded in the local catalog, with their manifest hashes."})
final class SnapshotLsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--catalog", paramLabel = "DIR",
            description = "Where snapshot names are recorded locally (default: ~/.quilt/snapshots).")
    private Path catalog;

    @Option(names = "--json", description = "Print one JSON object per line.")
    private boolean json;

    @Override
    public Integer call() throws IOException {
        Path dir = catalog != null ? catalog : Path.of(System.getProperty("user.home"), ".quilt", "snapshots");
        List<Path> names = List.of();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                names = s.filter(Files::isRegularFile).sorted().toList();
            }
        }
        var out = spec.commandLine().getOut();
        if (!json) {
            out.printf("%-32s %s%n", "NAME", "MANIFEST");
        }
        for (Path p : names) {
            String hash = Files.readString(p).strip();
            String name = p.getFileName().toString();
            out.printf(json ? "{\"name\":\"%s\",\"manifest\":\"%s\"}%n" : "%-32s %s%n", name, hash);
        }
        return 0;
    }
}
