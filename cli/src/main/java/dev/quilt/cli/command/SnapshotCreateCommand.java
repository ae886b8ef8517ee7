package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import dev.quilt.fs.ChunkStore;
import dev.quilt.fs.SnapshotReport;
import dev.quilt.fs.Snapshotter;
import dev.quilt.fs.WriteLease;
import dev.quilt.zstor.Zstor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code quilt snapshot create DIR --name NAME --zstor CONFIG}. */
@Command(name = "create", mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class, sortOptions = false, usageHelpWidth = 100,
        description = {"Snapshot a directory into zstor: files are cut into fixed-size chunks named by their SHA-256,",
                "each uploaded only if zstor does not have it yet (so snapshotting a changed directory again uploads",
                "only the changed chunks); chunks of zeros are holes and are not stored. Then the manifest (tree,",
                "modes, owners, times, sizes, chunk lists, --height) is stored and the name recorded, locally and in",
                "zstor. Prints the manifest hash, the snapshot's identity."})
final class SnapshotCreateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private FsZstorOptions zstor;

    @Parameters(index = "0", paramLabel = "DIR", description = "The directory to snapshot.")
    private Path dir;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", required = true,
            description = "The snapshot's name: 1-64 of a-z 0-9 . _ -.")
    private String name;

    @Option(names = "--height", paramLabel = "N", description = "The chain height the directory is at, recorded in the manifest.")
    private Long height;

    @Option(names = "--chunk-size", paramLabel = "SIZE", defaultValue = "1M",
            description = "Bytes per chunk, 4k..64M (default: ${DEFAULT-VALUE}).")
    private String chunkSize;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    private boolean json;

    @Option(names = "--publish", description = {"Also record the name, manifest hash and size on the ledger, signed by",
            "--key, and wait until that is final. The key needs a twin (quilt farm create makes one)."})
    private boolean publish;

    @Option(names = "--key", paramLabel = "FILE", description = "The publisher's key file (quilt identity new), with --publish.")
    private Path key;

    @Option(names = "--api", paramLabel = "URL", defaultValue = "http://127.0.0.1:8545",
            description = "Chain API, with --publish (default: ${DEFAULT-VALUE}).")
    private String api;

    @Option(names = "--source-chain", paramLabel = "NAME",
            description = "The chain the directory holds, recorded on the ledger with --height when publishing.")
    private String sourceChain;

    @Override
    public Integer call() throws IOException, InterruptedException {
        FsZstorOptions.checkName(name);
        if (!Files.isDirectory(dir)) {
            throw CliException.input(dir + (Files.exists(dir) ? " is not a directory" : ": no such directory"));
        }
        if (height != null && height < 0) {
            throw CliException.input("--height: " + height + " is negative");
        }
        if (publish && key == null) {
            throw CliException.input("--publish needs --key, the publisher's key file");
        }
        if (publish && height != null && sourceChain == null) {
            throw CliException.input("--height with --publish needs --source-chain: the ledger records which chain it is a height of");
        }
        long size = ByteSize.parse("--chunk-size", chunkSize);
        if (size < 4096 || size > (64 << 20)) {
            throw CliException.input("--chunk-size: " + chunkSize + " is outside 4k..64M");
        }
        SnapshotReport report;
        try (Zstor store = zstor.open(); Progress progress = Progress.on(spec.commandLine().getErr(), "snapshot", -1)) {
            ChunkStore chunks = new ChunkStore(store);
            // Held until the name is recorded: until then no name references the chunks, and `snapshot gc`
            // must not run.
            try (WriteLease lease = WriteLease.writer(chunks, java.time.Duration.ofMinutes(10))) {
                report = new Snapshotter(chunks, (int) size).create(dir,
                        height == null ? OptionalLong.empty() : OptionalLong.of(height), progress);
                zstor.catalog(store).record(name, report.hash());
            }
        }
        var out = spec.commandLine().getOut();
        if (json) {
            out.printf("{\"name\":\"%s\",\"manifest\":\"%s\",\"files\":%d,\"bytes\":%d,\"chunks\":%d,"
                    + "\"uploadedChunks\":%d,\"uploadedBytes\":%d}%n", name, report.hash().hex(), report.files(),
                    report.bytes(), report.chunks(), report.uploadedChunks(), report.uploadedBytes());
        } else {
            out.printf("snapshot %s %s: %d files, %d bytes, %d chunks (%d uploaded, %d bytes)%n", name,
                    report.hash().hex(), report.files(), report.bytes(), report.chunks(), report.uploadedChunks(),
                    report.uploadedBytes());
        }
        if (publish) {
            out.flush();
            return new SnapshotPublisher(api, spec.commandLine().getOut()).publish(key, name, report.hash(), report.bytes(),
                    java.util.Optional.ofNullable(sourceChain), java.util.Optional.ofNullable(height));
        }
        return 0;
    }
}
