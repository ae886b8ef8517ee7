package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import dev.quilt.zstor.Zstor;
import dev.quilt.zstor.config.ZstorConfig;
import dev.quilt.zstor.daemon.ConfigReloader;
import dev.quilt.zstor.daemon.DaemonConfig;
import dev.quilt.zstor.daemon.ReloadableZstor;
import dev.quilt.zstor.daemon.ZstorDaemon;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quilt zstor daemon}: runs {@link ZstorDaemon} until SIGINT or SIGTERM. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class, sortOptions = false, usageHelpWidth = 100,
        description = {"Run the zstor daemon (repair, zdb offload, hook socket, metrics) until SIGTERM.",
                "Its parts:",
                " - a repair loop that scrubs every object (reads and verifies its shards) and rebuilds degraded",
                "   ones, throttled;",
                " - with zdb_data_dir_path in the config, the offload of a local zdb's closed data files to zstor",
                "   (jump-data hook, and a rescan at start and every --rescan-interval), bringing them back on",
                "   zdb's missing-data hook, and deleting stored ones, least recently used first, while the",
                "   directory is larger than max_zdb_data_dir_size (MiB);",
                " - a control socket for `quilt zstor hook` (--socket, or the config's socket);",
                " - Prometheus metrics at http://HOST:PORT/metrics (--metrics, or the config's prometheus_port);",
                " - its pid in --pid-file, or the config's pid_file (a stale one is replaced).",
                "`store`, `retrieve` and `status` go through a running daemon's socket (see --no-daemon).",
                "SIGUSR1 reloads the config: new backends, groups, keys take effect for the next request; a",
                "config that does not load is refused with a log line and the old one kept. Daemon settings",
                "(socket, pid_file, zdb_data_dir_path, metrics) take effect at the next start.",
                "Logs go to stderr (quilt -v for info)."})
final class ZstorDaemonCommand extends ZstorSubcommand {
    private static final Logger LOG = LoggerFactory.getLogger(ZstorDaemonCommand.class);

    @Option(names = "--socket", paramLabel = "PATH", description = "Control socket for the hook (default: the config's socket).")
    private Path socket;

    @Option(names = "--metrics", paramLabel = "HOST:PORT",
            description = "Serve metrics here (default: 0.0.0.0:<prometheus_port> when the config sets it).")
    private String metrics;

    @Option(names = "--pid-file", paramLabel = "PATH", description = "Write the daemon's pid here while it runs"
            + " (default: the config's pid_file).")
    private Path pidFile;

    @Option(names = "--state", paramLabel = "DIR",
            description = "Where the manifest of stored data files lives (default: <zdb_data_dir_path>.zstor-state).")
    private Path state;

    @Option(names = "--scrub-rate", paramLabel = "SIZE", defaultValue = "32M",
            description = "Repair budget: object bytes scrubbed per second, k/M/G suffixes, 0 for no limit (default: ${DEFAULT-VALUE}).")
    private String scrubRate;

    @Option(names = "--pause", paramLabel = "DURATION", defaultValue = "0ms",
            description = "Pause after each object the repair loop checks (default: ${DEFAULT-VALUE}).")
    private String pause;

    @Option(names = "--sweep-interval", paramLabel = "DURATION", defaultValue = "10m",
            description = "Time between the end of a repair sweep and the next (default: ${DEFAULT-VALUE}).")
    private String sweepInterval;

    @Option(names = "--rescan-interval", paramLabel = "DURATION", defaultValue = "60s",
            description = "How often the zdb data directory is rescanned for files to store or evict (default: ${DEFAULT-VALUE}).")
    private String rescanInterval;

    @Option(names = "--queue", paramLabel = "FILES", defaultValue = "1024",
            description = "Data files waiting to be stored beyond which new ones wait for the next rescan (default: ${DEFAULT-VALUE}).")
    private int queue;

    @Override
    public Integer call() throws IOException, InterruptedException {
        DaemonConfig config = daemonConfig(zstor.config());
        ReloadableZstor store = new ReloadableZstor(zstor.open());
        new ConfigReloader(zstor.configFile(), zstor::open, store).onSignal();
        ZstorDaemon daemon;
        try {
            daemon = ZstorDaemon.start(store, config);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        PrintWriter out = out();
        Thread stopper = new Thread(() -> stop(daemon, store, out), "zstor-daemon-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        out.println("zstor daemon running (" + describe(daemon, config) + ")");
        out.flush();
        daemon.awaitClose();
        return 0;
    }

    DaemonConfig daemonConfig(ZstorConfig config) {
        ZstorConfig.Host host = config.host();
        Optional<Path> controlSocket = Optional.ofNullable(socket).or(host::socket);
        Optional<InetSocketAddress> metricsAddress = metrics != null
                ? Optional.of(ZdbCommand.metricsAddress(metrics))
                : host.prometheusPort().isPresent()
                        ? Optional.of(new InetSocketAddress("0.0.0.0", host.prometheusPort().getAsInt()))
                        : Optional.empty();
        Optional<DaemonConfig.Offload> offload = host.zdbDataDirPath().map(dataDir -> {
            Path stateDir = state != null ? state : dataDir.resolveSibling(dataDir.getFileName() + ".zstor-state");
            long cap = host.maxZdbDataDirSizeMib().orElse(0) * 1024 * 1024;
            try {
                return new DaemonConfig.Offload(dataDir, stateDir, cap, DurationArg.parse("--rescan-interval", rescanInterval),
                        queue);
            } catch (IllegalArgumentException e) {
                throw CliException.input(e.getMessage());
            }
        });
        if (controlSocket.isEmpty() && offload.isPresent()) {
            throw CliException.input("zdb_data_dir_path is set but no control socket: set socket in the config or"
                    + " give --socket, so zdb's hook can reach the daemon");
        }
        try {
            return new DaemonConfig(controlSocket, metricsAddress, offload,
                    new DaemonConfig.Repair(ByteSize.parse("--scrub-rate", scrubRate), DurationArg.parse("--pause", pause),
                            DurationArg.parse("--sweep-interval", sweepInterval)),
                    Optional.ofNullable(pidFile).or(host::pidFile));
        } catch (IllegalArgumentException e) {
            throw CliException.input(e.getMessage());
        }
    }

    private static String describe(ZstorDaemon daemon, DaemonConfig config) {
        List<String> parts = new ArrayList<>();
        daemon.socket().ifPresent(s -> parts.add("socket " + s));
        config.pidFile().ifPresent(p -> parts.add("pid file " + p));
        daemon.metricsAddress().ifPresent(m -> parts.add("metrics http://" + m.getHostString() + ":" + m.getPort() + "/metrics"));
        config.offload().ifPresent(o -> parts.add("offloading " + o.dataDir()
                + (o.maxDataDirBytes() > 0 ? " under " + o.maxDataDirBytes() / (1024 * 1024) + " MiB" : "")));
        parts.add("scrub " + (config.repair().bytesPerSecond() == 0 ? "unthrottled" : config.repair().bytesPerSecond() + " B/s"));
        return String.join(", ", parts);
    }

    private static void stop(ZstorDaemon daemon, Zstor store, PrintWriter out) {
        try {
            daemon.close();
            out.println("zstor daemon stopped");
            out.flush();
        } catch (IOException | RuntimeException e) {
            LOG.atError().setCause(e).log("event=daemon_stop_failed");
        } finally {
            store.close();
        }
    }
}
