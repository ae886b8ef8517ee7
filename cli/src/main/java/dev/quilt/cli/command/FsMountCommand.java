package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.metrics.MetricsHttpServer;
import dev.quilt.fs.FsControl;
import dev.quilt.fs.FsMount;
import dev.quilt.fs.SnapshotCatalog;
import dev.quilt.zstor.Zstor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code quilt fs mount SNAPSHOT MOUNTPOINT --cache DIR --cache-size SIZE --zstor CONFIG}: runs until SIGTERM. */
@Command(name = "mount", mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class, sortOptions = false, usageHelpWidth = 100,
        description = {"Mount a snapshot read-write at MOUNTPOINT and serve it until SIGINT or SIGTERM, which unmount.",
                "Reads fetch chunks from zstor on first use (any k of n backends), verify them by hash and cache",
                "them in --cache, least recently used first out once --cache-size is reached; sequential reads",
                "prefetch ahead. A read whose chunk cannot be fetched within --fetch-timeout fails with EIO and is",
                "logged with the chunk and the backends; other reads go on. Writes are copy-on-write per chunk",
                "into --cache and durable once fsync returns (a killed mount loses no fsynced write; mount again",
                "with the same --cache to recover); they are flushed to zstor in the background.",
                "Mounting the same --cache again resumes where it stopped. Needs /dev/fuse and libfuse3 (fuse3)."})
final class FsMountCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(FsMountCommand.class);

    @Spec
    private CommandSpec spec;

    @Mixin
    private FsZstorOptions zstor;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "A snapshot name, or its manifest hash (64 hex digits).")
    private String snapshot;

    @Parameters(index = "1", paramLabel = "MOUNTPOINT", description = "An existing, empty directory.")
    private Path mountpoint;

    @Option(names = "--cache", paramLabel = "DIR", required = true, description = "Local state: metadata, cached and written chunks.")
    private Path cache;

    @Option(names = "--cache-size", paramLabel = "SIZE", required = true,
            description = "Local disk for cached and written chunks together, k/M/G/T suffixes.")
    private String cacheSize;

    @Option(names = "--fetch-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long a read waits for a chunk before it fails with EIO (default: ${DEFAULT-VALUE}).")
    private String fetchTimeout;

    @Option(names = "--prefetch", paramLabel = "CHUNKS", defaultValue = "4",
            description = "Chunks fetched ahead of a sequential reader, 0 for none (default: ${DEFAULT-VALUE}).")
    private int prefetch;

    @Option(names = "--flush-after", paramLabel = "DURATION", defaultValue = "2s",
            description = "A written chunk is flushed to zstor once it has not been written for this long (default: ${DEFAULT-VALUE}).")
    private String flushAfter;

    @Option(names = "--metrics", paramLabel = "HOST:PORT", description = "Serve Prometheus metrics at http://HOST:PORT/metrics.")
    private String metrics;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!Files.isDirectory(mountpoint)) {
            throw CliException.input(mountpoint + ": no such directory");
        }
        long size = ByteSize.parse("--cache-size", cacheSize);
        if (size < (1 << 20)) {
            throw CliException.input("--cache-size: " + cacheSize + " is less than 1M");
        }
        if (prefetch < 0) {
            throw CliException.input("--prefetch: " + prefetch + " is negative");
        }
        FsMount.Options options = new FsMount.Options(cache, size, DurationArg.parse("--fetch-timeout", fetchTimeout),
                prefetch, DurationArg.parse("--flush-after", flushAfter));
        Zstor store = zstor.open();
        FsMount mount = null;
        FsControl control = null;
        MetricsHttpServer metricsServer = null;
        try {
            SnapshotCatalog catalog = zstor.catalog(store);
            Hash256 hash = zstor.resolve(catalog, snapshot);
            mount = FsMount.open(store, hash, options, FsMount.describeBackends(zstor.config()));
            mount.mount(mountpoint);
            control = FsControl.serve(cache, mount, catalog);
            if (metrics != null) {
                metricsServer = MetricsHttpServer.start(HostPort.parse("--metrics", metrics), mount.metrics());
            }
        } catch (IOException | RuntimeException e) {
            stop(metricsServer, control, mount, store);
            if (e instanceof IOException io) {
                throw CliException.input(io.getMessage());
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        FsMount m = mount;
        FsControl c = control;
        MetricsHttpServer s = metricsServer;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(s, c, m, store);
            stopped.countDown();
        }, "fs-unmount"));
        var out = spec.commandLine().getOut();
        out.println("mounted " + snapshot + " (" + mount.base().hex() + ") at " + mountpoint + ", cache " + cache
                + " (" + size + " bytes)" + (s != null ? ", metrics http://" + s.address().getHostString() + ":"
                + s.address().getPort() + "/metrics" : ""));
        out.flush();
        stopped.await();
        return 0;
    }

    private static void stop(MetricsHttpServer metrics, FsControl control, FsMount mount, Zstor store) {
        try {
            if (metrics != null) {
                metrics.close();
            }
            if (control != null) {
                control.close();
            }
            if (mount != null) {
                mount.close();
            }
        } catch (RuntimeException e) {
            LOG.atError().setCause(e).log("event=fs.stop_failed");
        } finally {
            store.close();
        }
    }
}
