package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import dev.quilt.fs.ChunkGc;
import dev.quilt.fs.ChunkStore;
import dev.quilt.zstor.Zstor;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code quilt snapshot gc --zstor CONFIG}. */
@Command(name = "gc", mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class, sortOptions = false, usageHelpWidth = 100,
        description = {"Delete from zstor the chunks and manifests no snapshot name references. Mark: every",
                "snapshot name recorded in zstor, its manifest and its chunks; sweep: every other chunk and manifest.",
                "Refuses to run (exit 4, nothing deleted) while a snapshot is being created or a mount is open",
                "anywhere on this zstor: they hold a lease in zstor, and a snapshot create or mount that starts",
                "during a collection waits for it to end."})
final class SnapshotGcCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private FsZstorOptions zstor;

    @Option(names = "--dry-run", description = "Count what would be deleted; delete nothing.")
    private boolean dryRun;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    private boolean json;

    @Override
    public Integer call() throws IOException {
        ChunkGc.Report report;
        try (Zstor store = zstor.open()) {
            report = new ChunkGc(new ChunkStore(store)).collect(dryRun);
        } catch (ChunkGc.WritersActiveException e) {
            throw CliException.unavailable(e.getMessage(), e);
        }
        var out = spec.commandLine().getOut();
        if (json) {
            out.printf("{\"dryRun\":%b,\"snapshots\":%d,\"keptChunks\":%d,\"deletedChunks\":%d,\"deletedBytes\":%d,"
                    + "\"deletedManifests\":%d}%n", dryRun, report.snapshots(), report.keptChunks(), report.deletedChunks(),
                    report.deletedBytes(), report.deletedManifests());
        } else {
            out.printf("%s %d chunks (%d bytes) and %d manifests no snapshot references; kept %d chunks of %d snapshots%n",
                    dryRun ? "would delete" : "deleted", report.deletedChunks(), report.deletedBytes(),
                    report.deletedManifests(), report.keptChunks(), report.snapshots());
        }
        return 0;
    }
}
