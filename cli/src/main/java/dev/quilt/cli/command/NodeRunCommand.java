package dev.quilt.cli.command;

import dev.quilt.chain.ChainClient;
import dev.quilt.chain.Genesis;
import dev.quilt.chain.Location;
import dev.quilt.chain.Resources;
import dev.quilt.cli.CliException;
import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.node.CapacityProbe;
import dev.quilt.node.NodeAgent;
import dev.quilt.node.NodeConfig;
import dev.quilt.node.NodeRegistration;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quilt node run}: measures the machine, registers (or updates) its twin and node under the
 * farm, then runs the agent until SIGINT or SIGTERM. Thin: flags become a {@link NodeConfig}.
 */
@Command(name = "run", mixinStandardHelpOptions = true, usageHelpWidth = 100, sortOptions = false,
        description = "Register this machine as a node of a farm and run its workloads.")
public final class NodeRunCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--chain", paramLabel = "URL", required = true, description = "A chain API (quilt chain run --api).")
    private String chain;

    @Option(names = "--genesis", paramLabel = "FILE", required = true,
            description = "The chain's genesis file: the root of trust of the node's light client.")
    private Path genesisFile;

    @Option(names = "--key", paramLabel = "FILE", required = true, description = "The node's key (quilt identity new).")
    private Path key;

    @Option(names = "--farm", paramLabel = "ID", required = true, description = "The farm the node belongs to.")
    private long farm;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./node-data", description = "Data directory (default: ${DEFAULT-VALUE}).")
    private Path data;

    @Option(names = "--offer", paramLabel = "DIR", description = "A directory whose file system is offered as storage; repeatable (default: --data).")
    private List<Path> offered = new ArrayList<>();

    @Option(names = "--intake", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:8555", description = "Intake address (default: ${DEFAULT-VALUE}).")
    private String intake;

    @Option(names = "--endpoint", paramLabel = "URL", description = "The intake's public URL, registered on the ledger (default: http://<intake>, with the --public-address host when the intake listens on every address).")
    private String endpoint;

    @Option(names = "--zdb", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:9900", description = "The node's zdb (default: ${DEFAULT-VALUE}).")
    private String zdb;

    @Option(names = "--zdb-admin-password-file", paramLabel = "FILE", description = "The zdb admin password (default: <data>/zdb.admin, made on first run).")
    private Path zdbPasswordFile;

    @Option(names = "--country", paramLabel = "CODE", defaultValue = "XX", description = "Country code registered with the node (default: ${DEFAULT-VALUE}).")
    private String country;

    @Option(names = "--city", paramLabel = "NAME", defaultValue = "unknown", description = "City registered with the node (default: ${DEFAULT-VALUE}).")
    private String city;

    @Option(names = "--ports", paramLabel = "LO-HI", defaultValue = "20000-29999",
            description = "Host ports given to workloads' ports (default: ${DEFAULT-VALUE}).")
    private String ports;

    @Option(names = "--public-address", paramLabel = "HOST",
            description = "Where workloads are reached: $${host} in their args, their endpoints, health probes "
                    + "(default: the intake's host, or 127.0.0.1 when it listens on every address).")
    private String publicAddress;

    @Option(names = "--cpus", paramLabel = "N",
            description = "Offer at most N CPUs (default: all measured); several nodes can split one machine.")
    private Long cpus;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Offer at most this much memory, e.g. 4G (default: all measured).")
    private String memory;

    @Option(names = "--disk", paramLabel = "SIZE", description = "Offer at most this much storage, e.g. 100G (default: all measured).")
    private String disk;

    @Option(names = "--metrics", paramLabel = "HOST:PORT", description = "Serve Prometheus metrics over HTTP here (default: nowhere).")
    private String metrics;

    @Option(names = "--attest-every", paramLabel = "SECONDS", defaultValue = "600",
            description = "Seconds between uptime attestations and usage reports (default: ${DEFAULT-VALUE}).")
    private long attestSeconds;

    @Option(names = "--resync-every", paramLabel = "SECONDS", defaultValue = "30",
            description = "Seconds between re-reading final state, which notices cancelled contracts (default: ${DEFAULT-VALUE}).")
    private long resyncSeconds;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (resyncSeconds < 1 || attestSeconds < 1) {
            throw CliException.input("--resync-every and --attest-every: at least 1 second");
        }
        Genesis genesis = genesis();
        Ed25519KeyPair nodeKey = ChainKeys.readSeed("--key", key);
        InetSocketAddress intakeAddress = HostPort.parse("--intake", intake);
        Optional<InetSocketAddress> metricsAddress = metrics == null ? Optional.empty() : Optional.of(HostPort.parse("--metrics", metrics));
        ChainClient client;
        try {
            client = new ChainClient(URI.create(chain));
        } catch (IllegalArgumentException e) {
            throw CliException.input("--chain: '" + chain + "' (expected: a URL such as http://127.0.0.1:8545)");
        }
        NodeConfig.PortRange portRange;
        try {
            portRange = NodeConfig.PortRange.parse(ports);
        } catch (IllegalArgumentException e) {
            throw CliException.input("--" + e.getMessage());
        }
        if (cpus != null && cpus < 1) {
            throw CliException.input("--cpus: " + cpus + " (expected: >= 1)");
        }
        OptionalLong memoryLimit = memory == null ? OptionalLong.empty() : OptionalLong.of(ByteSize.parse("--memory", memory));
        OptionalLong diskLimit = disk == null ? OptionalLong.empty() : OptionalLong.of(ByteSize.parse("--disk", disk));
        if (memoryLimit.orElse(1) < 1 || diskLimit.orElse(1) < 1) {
            throw CliException.input("--memory and --disk: at least one byte");
        }
        // Never more than the machine has: the flags only split it (several nodes of a devnet on one machine).
        Resources capacity = CapacityProbe.cap(CapacityProbe.measure(offered.isEmpty() ? List.of(data) : offered),
                cpus == null ? OptionalLong.empty() : OptionalLong.of(cpus), memoryLimit, diskLimit);
        String host = publicAddress != null ? publicAddress.strip() : NodeConfig.defaultPublicHost(intakeAddress);
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/')) {
            throw CliException.input("--public-address: '" + publicAddress + "' (expected: a host name or IP address)");
        }
        // A client finds the intake through the ledger: never register the wildcard address.
        String intakeHost = intakeAddress.getAddress() != null && intakeAddress.getAddress().isAnyLocalAddress()
                ? host : intakeAddress.getHostString();
        String url = endpoint != null ? endpoint : "http://" + intakeHost + ":" + intakeAddress.getPort();
        long nodeId;
        try {
            nodeId = NodeRegistration.register(client, genesis, nodeKey, farm, capacity, new Location(country, city), url, data);
        } catch (IOException e) {
            throw CliException.unavailable("cannot register node under farm " + farm + " at " + chain + ": " + e.getMessage(), e);
        }
        NodeConfig config = new NodeConfig(client.base(), genesis, nodeKey, nodeId, capacity, data, intakeAddress,
                Optional.of(new NodeConfig.ZdbListen(HostPort.parse("--zdb", zdb), zdbPassword())), "quilt",
                Duration.ofSeconds(resyncSeconds), Duration.ofSeconds(attestSeconds), portRange, host,
                key.resolveSibling(key.getFileName() + ".sealing"),
                metricsAddress);
        NodeAgent agent = NodeAgent.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                agent.close();
            } catch (IOException e) {
                // exiting anyway; the next start re-adopts what is on disk
            }
            stopped.countDown();
        }, "node-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("node " + nodeId + " of farm " + farm + ": " + capacity.cru() + " CPUs, " + capacity.mru() + " bytes memory, "
                + capacity.sru() + " bytes storage; intake " + agent.intakeAddress() + "; workloads at " + host + ", ports " + portRange);
        out.flush();
        stopped.await();
        return 0;
    }

    private Genesis genesis() {
        try {
            return Genesis.decode(Files.readAllBytes(genesisFile));
        } catch (IOException e) {
            throw CliException.input("--genesis: cannot read " + genesisFile + " (" + e.getMessage() + ")");
        } catch (CodecException e) {
            throw CliException.input("--genesis: " + genesisFile + " is not a genesis file: " + e.getMessage());
        }
    }

    /** The zdb admin password: from the file given, or one made on first run and kept under --data. */
    private String zdbPassword() throws IOException {
        Path file = zdbPasswordFile != null ? zdbPasswordFile : data.resolve("zdb.admin");
        if (zdbPasswordFile == null && !Files.exists(file)) {
            byte[] random = new byte[18];
            new java.security.SecureRandom().nextBytes(random);
            Files.createDirectories(data);
            dev.quilt.common.io.AtomicFiles.write(file, java.util.HexFormat.of().formatHex(random).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw CliException.input("--zdb-admin-password-file: cannot read " + file + " (" + e.getMessage() + ")");
        }
    }
}
