package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
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
 * {@code quilt chain run}: a validator (with {@code --key}) or a full node that follows the chain
 * and serves the HTTP API, until SIGINT or SIGTERM. Thin: flags become a {@link ChainNode.Config}.
 */
@Command(name = "run", mixinStandardHelpOptions = true, usageHelpWidth = 100, sortOptions = false,
        description = "Run a validator or a full node of a chain.")
public final class ChainRunCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--genesis", paramLabel = "FILE", required = true, description = "The chain's genesis file (quilt chain init).")
    private Path genesisFile;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./chain-data", description = "Data directory (default: ${DEFAULT-VALUE}).")
    private Path data;

    @Option(names = "--id", paramLabel = "ID", required = true, description = "This node's id among the peers.")
    private String id;

    @Option(names = "--peer", paramLabel = "ID=HOST:PORT", required = true,
            description = "A validator of the chain, this one included; repeat for each.")
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
        Optional<MetricsHttpServer> metricsServer = metrics == null ? Optional.empty()
                : Optional.of(MetricsHttpServer.start(HostPort.parse("--metrics", metrics), registry));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            metricsServer.ifPresent(MetricsHttpServer::close);
            httpApi.close();
            try {
                node.close();
            } catch (IOException e) {
                // exiting anyway; RocksDB and the Ratis log recover on the next start
            }
            stopped.countDown();
        }, "chain-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("chain " + config.genesis().chainId() + ": " + (key != null ? "validator " : "full node ") + id
                + ", API http://" + httpApi.address().getHostString() + ":" + httpApi.address().getPort() + "/v1/");
        out.flush();
        stopped.await();
        return 0;
    }

    ChainNode.Config config() {
        if (blockIntervalMillis < 10) {
            throw CliException.input("--block-interval: " + blockIntervalMillis + " (expected: >= 10 ms)");
        }
        Genesis genesis;
        try {
            genesis = Genesis.decode(Files.readAllBytes(genesisFile));
        } catch (IOException e) {
            throw CliException.input("--genesis: cannot read " + genesisFile + " (" + e.getMessage() + ")");
        } catch (CodecException e) {
            throw CliException.input("--genesis: " + genesisFile + " is not a genesis file: " + e.getMessage());
        }
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
