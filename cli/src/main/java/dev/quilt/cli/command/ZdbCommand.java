package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import dev.quilt.cli.GlobalOptions;
import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import dev.quilt.zdb.store.Mode;
import dev.quilt.zdb.store.StoreConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quilt zdb}: runs a zdb server with 0-db's flags and defaults until SIGINT or SIGTERM.
 *
 * <p>Thin: it turns the flags into a {@link ZdbServerConfig}, starts the server, prints where it listens and
 * waits. A shutdown hook closes the server, which flushes and forces the store to disk.
 */
@Command(name = "zdb",
        mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class,
        sortOptions = false,
        usageHelpWidth = 100,
        description = {"Run zdb, an always-append key-value server wire-compatible with 0-db.",
                "Any Redis client can talk to it, e.g. redis-cli -p 9900."},
        subcommands = {ZdbCompactCommand.class})
public final class ZdbCommand implements Callable<Integer> {
    /** Starts a server; {@link ZdbServer#start} outside tests. */
    @FunctionalInterface
    public interface Starter {
        ZdbServer start(ZdbServerConfig config) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ZdbCommand.class);
    private static final String ANY_IPV6 = "::";
    private static final String ANY_IPV4 = "0.0.0.0";

    @Mixin
    private GlobalOptions globalOptions;

    @Spec
    private CommandSpec spec;

    @Option(names = "--listen", paramLabel = "ADDR", defaultValue = ANY_IPV6,
            description = "Address to listen on (default: ${DEFAULT-VALUE}, or 0.0.0.0 without IPv6).")
    private String listen;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9900", description = "TCP port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--socket", paramLabel = "PATH", description = "Listen on this unix socket instead of TCP.")
    private Path socket;

    @Option(names = "--dualnet", description = "With --socket, listen on TCP as well.")
    private boolean dualnet;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./zdb-data", description = "Data files root (default: ${DEFAULT-VALUE}).")
    private Path data;

    @Option(names = "--index", paramLabel = "DIR", defaultValue = "./zdb-index", description = "Index files root (default: ${DEFAULT-VALUE}).")
    private Path index;

    @Option(names = "--mode", paramLabel = "user|seq",
            description = "Keys of every namespace (default: mixed, chosen per namespace).")
    private String mode;

    @Option(names = "--datasize", paramLabel = "SIZE", defaultValue = "256M",
            description = "Data file size, 512k to <4G, k/M/G/T suffixes (default: ${DEFAULT-VALUE}).")
    private String datasize;

    @Option(names = "--sync", description = "Force every write to disk before acknowledging it.")
    private boolean sync;

    @Option(names = "--synctime", paramLabel = "SEC", defaultValue = "0",
            description = "Force writes to disk at least every SEC seconds.")
    private long synctime;

    @Option(names = "--admin", paramLabel = "PASSWORD", description = "Admin password; without it every client is admin.")
    private String admin;

    @Option(names = "--protect", description = "Default namespace read-only until SELECT default <admin pw>.")
    private boolean protect;

    @Option(names = "--maxsize", paramLabel = "SIZE", defaultValue = "0",
            description = "Size limit of the default namespace (default: unlimited).")
    private String maxsize;

    @Option(names = "--hook", paramLabel = "EXE", description = "Program run on events (ready, namespace created, file jumps...).")
    private Path hook;

    @Option(names = "--metrics", paramLabel = "HOST:PORT", description = "Serve Prometheus metrics over HTTP here.")
    private String metrics;

    @Option(names = "--busy-poll", paramLabel = "MICROS", defaultValue = "50",
            description = "Poll this many microseconds for requests before sleeping (default: ${DEFAULT-VALUE}): more"
                    + " requests/s and lower latency under load, paid in CPU that would idle; backs off when idle;"
                    + " 0 never polls.")
    private long busyPollMicros;

    private final Starter starter;

    /** The command as {@code quilt} runs it. */
    public ZdbCommand() {
        this(ZdbServer::start);
    }

    /** The command with another way to start the server (tests). */
    public ZdbCommand(Starter starter) {
        this.starter = starter;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        ZdbServerConfig config = config();
        ZdbServer server = starter.start(config);
        Thread closer = new Thread(() -> close(server), "zdb-shutdown");
        Runtime.getRuntime().addShutdownHook(closer);
        PrintWriter out = spec.commandLine().getOut();
        out.println("zdb listening on " + where(server, config) + " (data " + config.store().dataRoot()
                + ", index " + config.store().indexRoot() + ", mode "
                + config.store().forcedMode().map(Mode::flag).orElse("mixed") + ")");
        out.flush();
        LOG.atInfo().addKeyValue("data", config.store().dataRoot()).addKeyValue("index", config.store().indexRoot())
                .log("event=started");
        server.awaitTermination();
        try {
            Runtime.getRuntime().removeShutdownHook(closer);
        } catch (IllegalStateException shuttingDown) {
            // the hook is closing the server right now
        }
        return 0;
    }

    /** The flags as a server configuration; a {@link CliException} names the first wrong value. */
    ZdbServerConfig config() {
        long dataFileSize = ByteSize.parse("--datasize", datasize);
        if (dataFileSize < StoreConfig.MIN_DATA_FILE_SIZE || dataFileSize > StoreConfig.MAX_DATA_FILE_SIZE) {
            throw CliException.input("--datasize: " + datasize + " is " + dataFileSize + " bytes (expected: at least 512k = "
                    + StoreConfig.MIN_DATA_FILE_SIZE + " bytes and less than 4G = " + (StoreConfig.MAX_DATA_FILE_SIZE + 1) + " bytes)");
        }
        if (protect && admin == null) {
            throw CliException.input("--protect needs --admin: the admin password is what unlocks the default namespace");
        }
        if (synctime < 0) {
            throw CliException.input("--synctime: " + synctime + " (expected: >= 0 seconds)");
        }
        if (port < 0 || port > 65535) {
            throw CliException.input("--port: " + port + " (expected: 0..65535)");
        }
        if (data.toAbsolutePath().normalize().equals(index.toAbsolutePath().normalize())) {
            throw CliException.input("--data and --index must be different directories: both are " + data);
        }
        long maxBusyPollMicros = ZdbServerConfig.MAX_BUSY_POLL.toNanos() / 1000;
        if (busyPollMicros < 0 || busyPollMicros > maxBusyPollMicros) {
            throw CliException.input("--busy-poll: " + busyPollMicros + " (expected: 0.." + maxBusyPollMicros + " microseconds)");
        }
        long defaultMaxSize = ByteSize.parse("--maxsize", maxsize);
        StoreConfig store = new StoreConfig(data, index, mode(), dataFileSize, sync, Duration.ofSeconds(synctime), defaultMaxSize);
        Optional<InetSocketAddress> tcp = socket != null && !dualnet ? Optional.empty() : Optional.of(listenAddress());
        try {
            return new ZdbServerConfig(store, tcp, Optional.ofNullable(socket), Optional.ofNullable(admin), protect,
                    Optional.ofNullable(hook), Optional.ofNullable(metrics).map(ZdbCommand::metricsAddress))
                    .withBusyPoll(Duration.ofNanos(busyPollMicros * 1000));
        } catch (IllegalArgumentException e) {
            throw CliException.input(e.getMessage());
        }
    }

    private Optional<Mode> mode() {
        if (mode == null) {
            return Optional.empty();
        }
        return switch (mode) {
            case "user" -> Optional.of(Mode.USER);
            case "seq" -> Optional.of(Mode.SEQ);
            case "direct" -> {
                LOG.warn("--mode direct is the legacy name of sequential mode; running with --mode seq");
                yield Optional.of(Mode.SEQ);
            }
            default -> throw CliException.input("--mode: '" + mode + "' (expected: user or seq; omit it for mixed mode)");
        };
    }

    private InetSocketAddress listenAddress() {
        String host = listen;
        if (host.equals(ANY_IPV6) && !ipv6Available()) {
            LOG.atWarn().addKeyValue("listen", ANY_IPV4).log("IPv6 is unavailable on this machine; listening on IPv4 only");
            host = ANY_IPV4;
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw CliException.input("--listen: '" + listen + "' is not an address of this machine (expected: an IP address or host name)");
        }
    }

    private static boolean ipv6Available() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(ANY_IPV6), 0));
            return probe.getInetAddress().getAddress().length == 16;
        } catch (IOException e) {
            return false;
        }
    }

    static InetSocketAddress metricsAddress(String hostPort) {
        return HostPort.parse("--metrics", hostPort);
    }

    private static String where(ZdbServer server, ZdbServerConfig config) {
        List<String> places = new ArrayList<>();
        server.address().or(config::listen).ifPresent(a -> places.add(hostPort(a)));
        config.socket().ifPresent(s -> places.add("unix:" + s));
        server.metricsAddress().ifPresent(m -> places.add("metrics http://" + hostPort(m) + "/metrics"));
        return String.join(", ", places);
    }

    private static String hostPort(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + (host.equals("0:0:0:0:0:0:0:0") ? "::" : host) + "]";
        }
        return host + ":" + address.getPort();
    }

    private static void close(ZdbServer server) {
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            LOG.atError().setCause(e).log("zdb did not shut down cleanly");
        }
    }
}
