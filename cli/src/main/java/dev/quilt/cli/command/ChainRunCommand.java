package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import dev.quilt.chain.ChainFollower;
import dev.quilt.chain.ChainHttpApi;
import dev.quilt.chain.ChainMetrics;
import dev.quilt.chain.ChainNode;
import dev.quilt.chain.Genesis;
import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.metrics.MetricsHttpServer;
import dev.quilt.common.metrics.MetricsRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quilt chain run}: a validator (with {@code --key}), a full node (a Ratis listener), or,
 * with {@code --follow}, a follower of another node's API that checks every block itself; each
 * serves the HTTP API until SIGINT or SIGTERM. Thin: flags become a {@link ChainNode.Config} or a
 * {@link ChainFollower.Config}.
 */
@Command(name = "run", mixinStandardHelpOptions = true, usageHelpWidth = 100, sortOptions = false,
        description = {"Run a validator or a full node of a chain, or follow a chain API.",
                "With --follow URL: a non-voting follower that checks every final block against the validators' "
                        + "signatures and its own replay of the ledger, keeps the verified state in --data, and serves "
                        + "the same API from it; submissions are forwarded to URL. Needs only --genesis, --data, --api."})
public final class ChainRunCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--genesis", paramLabel = "FILE", required = true, description = "The chain's genesis file (quilt chain init).")
    private Path genesisFile;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./chain-data", description = "Data directory (default: ${DEFAULT-VALUE}).")
    private Path data;

    @Option(names = "--follow", paramLabel = "URL",
            description = "Follow the chain API at URL (e.g. http://10.0.0.1:8545) instead of joining the Ratis group.")
    private String follow;

    @Option(names = "--id", paramLabel = "ID", description = "This node's id among the peers (not with --follow).")
    private String id;

    @Option(names = "--peer", paramLabel = "ID=HOST:PORT",
            description = "A validator of the chain, this one included; repeat for each (not with --follow).")
    private Map<String, String> peers = new LinkedHashMap<>();

    @Option(names = "--full-node", paramLabel = "ID=HOST:PORT",
            description = "A non-voting full node that follows the chain; repeat for each.")
    private Map<String, String> fullNodes = new LinkedHashMap<>();

    @Option(names = "--key", paramLabel = "FILE", description = "Validator key (quilt identity new); omit for a full node.")
    private Path key;

    @Option(names = "--api", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8545", description = "HTTP API address (default: ${DEFAULT-VALUE}).")
    private String api;

    @Option(names = "--block-interval", paramLabel = "MILLIS", defaultValue = "1000", description = "Block interval in ms (default: ${DEFAULT-VALUE}).")
    private long blockIntervalMillis;

    @Option(names = "--snapshot-every", paramLabel = "ENTRIES", defaultValue = "10000",
            description = "Log entries between snapshots; the log is purged up to each (default: ${DEFAULT-VALUE}).")
    private long snapshotEvery;

    @Option(names = "--metrics", paramLabel = "HOST:PORT", description = "Serve Prometheus metrics over HTTP here.")
    private String metrics;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (follow != null) {
            return runFollower();
        }
        if (id == null || peers.isEmpty()) {
            throw CliException.input("--id and --peer are required to run a validator or full node (or use --follow URL)");
        }
        ChainNode.Config config = config();
        ChainNode node;
        try {
            node = ChainNode.start(config);
        } catch (IOException e) {
            throw CliException.unavailable("cannot start chain node " + id + " in " + data + ": " + e.getMessage(), e);
        }
        ChainHttpApi httpApi = ChainHttpApi.start(node, HostPort.parse("--api", api));
        MetricsRegistry registry = new MetricsRegistry();
        ChainMetrics.register(node, registry);
        return serveUntilStopped(httpApi, registry, () -> {
            try {
                node.close();
            } catch (IOException e) {
                // exiting anyway; RocksDB and the Ratis log recover on the next start
            }
        }, "chain " + config.genesis().chainId() + ": " + (key != null ? "validator " : "full node ") + id);
    }

    private int runFollower() throws IOException, InterruptedException {
        ChainFollower.Config config = followerConfig();
        ChainFollower follower;
        try {
            follower = ChainFollower.start(config);
        } catch (IOException e) {
            throw CliException.unavailable("cannot start a follower in " + data + ": " + e.getMessage(), e);
        }
        ChainHttpApi httpApi = ChainHttpApi.start(follower, HostPort.parse("--api", api));
        MetricsRegistry registry = new MetricsRegistry();
        ChainMetrics.register(follower, registry);
        return serveUntilStopped(httpApi, registry, follower::close, "chain " + config.genesis().chainId()
                + ": follower of " + config.upstream() + " from height " + (follower.head().height() + 1));
    }

    /** Serves metrics if asked, prints {@code banner} with the API's address, and waits for SIGINT or SIGTERM. */
    private int serveUntilStopped(ChainHttpApi httpApi, MetricsRegistry registry, Runnable closeChain, String banner)
            throws IOException, InterruptedException {
        Optional<MetricsHttpServer> metricsServer = metrics == null ? Optional.empty()
                : Optional.of(MetricsHttpServer.start(HostPort.parse("--metrics", metrics), registry));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            metricsServer.ifPresent(MetricsHttpServer::close);
            httpApi.close();
            closeChain.run();
            stopped.countDown();
        }, "chain-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println(banner + ", API http://" + httpApi.address().getHostString() + ":" + httpApi.address().getPort() + "/v1/");
        out.flush();
        stopped.await();
        return 0;
    }

    ChainFollower.Config followerConfig() {
        if (id != null || !peers.isEmpty() || !fullNodes.isEmpty() || key != null) {
            throw CliException.input("--follow: a follower takes no --id, --peer, --full-node or --key "
                    + "(it joins no Ratis group and signs nothing)");
        }
        URI upstream;
        try {
            upstream = new URI(follow);
        } catch (URISyntaxException e) {
            throw CliException.input("--follow: " + follow + " (expected: an http URL such as http://127.0.0.1:8545)");
        }
        if (upstream.getScheme() == null || !upstream.getScheme().matches("https?") || upstream.getHost() == null) {
            throw CliException.input("--follow: " + follow + " (expected: an http URL such as http://127.0.0.1:8545)");
        }
        return new ChainFollower.Config(upstream, readGenesis(), data, Duration.ofSeconds(1));
    }

    private Genesis readGenesis() {
        try {
            return Genesis.decode(Files.readAllBytes(genesisFile));
        } catch (IOException e) {
            throw CliException.input("--genesis: cannot read " + genesisFile + " (" + e.getMessage() + ")");
        } catch (CodecException e) {
            throw CliException.input("--genesis: " + genesisFile + " is not a genesis file: " + e.getMessage());
        }
    }

    ChainNode.Config config() {
        if (blockIntervalMillis < 10) {
            throw CliException.input("--block-interval: " + blockIntervalMillis + " (expected: >= 10 ms)");
        }
        Genesis genesis = readGenesis();
        List<ChainNode.Peer> all = new ArrayList<>();
        peers.forEach((peerId, where) -> all.add(new ChainNode.Peer(peerId, HostPort.parse("--peer " + peerId, where), false)));
        fullNodes.forEach((peerId, where) -> all.add(new ChainNode.Peer(peerId, HostPort.parse("--full-node " + peerId, where), true)));
        Optional<Ed25519KeyPair> validatorKey = Optional.ofNullable(key).map(k -> ChainKeys.readSeed("--key", k));
        validatorKey.ifPresent(k -> {
            if (!genesis.state().params().isValidator(k.publicKey())) {
                throw CliException.input("--key: " + k.publicKey().hex() + " is not a validator of chain " + genesis.chainId());
            }
        });
        try {
            return new ChainNode.Config(id, data, all, genesis, validatorKey, Duration.ofMillis(blockIntervalMillis),
                    () -> System.currentTimeMillis() / 1000, snapshotEvery);
        } catch (IllegalArgumentException e) {
            throw CliException.input("--id: " + e.getMessage());
        }
    }
}
