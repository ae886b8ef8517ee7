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
        description = {"List the snapshot names recorded in the local catalog, with their manifest hashes; with --api,",
                "the snapshots published on the ledger instead (newest version of each; not proven here: a node",
                "checks a manifest hash against the light-client-proven entry before it trusts it)."})
final class SnapshotLsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--catalog", paramLabel = "DIR",
            description = "Where snapshot names are recorded locally (default: ~/.quilt/snapshots).")
    private Path catalog;

    @Option(names = "--json", description = "Print one JSON object per line.")
    private boolean json;

    @Option(names = "--api", paramLabel = "URL", description = "List the ledger's snapshots from this chain API.")
    private String api;

    @Override
    public Integer call() throws IOException {
        if (api != null) {
            return ledger();
        }
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

    private int ledger() {
        var out = spec.commandLine().getOut();
        if (!json) {
            out.printf("%-24s %-6s %-7s %-64s %14s %s%n", "NAME", "TWIN", "VERSION", "MANIFEST", "BYTES", "SOURCE");
        }
        for (dev.quilt.chain.Snapshot s : new SnapshotPublisher(api, out).list()) {
            dev.quilt.chain.Snapshot.Version v = s.latest();
            String source = v.sourceChain().map(c -> c + v.sourceHeight().map(h -> "@" + h).orElse("")).orElse("-");
            if (json) {
                out.printf("{\"name\":\"%s\",\"publisherTwin\":%d,\"version\":%d,\"manifest\":\"%s\",\"bytes\":%d,"
                        + "\"source\":\"%s\"}%n", s.name(), s.publisherTwin(), v.version(), v.manifestHash().hex(),
                        v.sizeBytes(), source);
            } else {
                out.printf("%-24s %-6d %-7d %-64s %14d %s%n", s.name(), s.publisherTwin(), v.version(),
                        v.manifestHash().hex(), v.sizeBytes(), source);
            }
        }
        return 0;
    }
}
