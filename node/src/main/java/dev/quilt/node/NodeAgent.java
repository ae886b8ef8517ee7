package dev.quilt.node;

import dev.quilt.chain.ChainClient;
import dev.quilt.chain.Contract;
import dev.quilt.chain.Snapshot;
import dev.quilt.chain.StateKeys;
import dev.quilt.common.metrics.MetricsRegistry;
import dev.quilt.fs.FsMount;
import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import dev.quilt.zdb.store.StoreConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent on a farmer's machine: follows final state through a light client, takes signed
 * deployments at its intake, and keeps their workloads in the state the ledger says; attests its
 * uptime and reports its contracts' usage for billing.
 *
 * <pre>
 * &lt;data&gt;/deployments/   accepted signed documents (DeploymentStore)
 * &lt;data&gt;/workloads/     c&lt;contract&gt;/&lt;workload&gt;/: a process's private root and log, a volume's image
 * &lt;data&gt;/zdb/           the node's zdb (data and index)
 * </pre>
 * Contract changes are seen as soon as they are final ({@link ContractWatcher}); the periodic
 * resync stays as the fallback.
 *
 * <p>Thread-safe. {@link #start} returns once the intake listens and stored deployments have
 * been reconciled once; {@link #close} stops the intake, the resync loop, every process and the
 * zdb, keeping all data, so that the next start re-adopts it.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

    private final Optional<ZdbServer> zdbServer;
    private final Optional<ZdbNamespaces> namespaces;
    private final Reconciler reconciler;
    private final Intake intake;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread resyncLoop;

    private final LedgerReporter reporter;
    private final DeploymentStore store;
    private final Duration attestEvery;
    private final ContractWatcher watcher;
    private final Optional<MetricsEndpoint> metrics;

    private NodeAgent(Optional<ZdbServer> zdbServer, Optional<ZdbNamespaces> namespaces, Reconciler reconciler, Intake intake,
                      LedgerReporter reporter, DeploymentStore store, NodeConfig config, ContractWatcher watcher,
                      Optional<MetricsEndpoint> metrics) {
        this.watcher = watcher;
        this.metrics = metrics;
        this.zdbServer = zdbServer;
        this.namespaces = namespaces;
        this.reconciler = reconciler;
        this.intake = intake;
        this.reporter = reporter;
        this.store = store;
        this.attestEvery = config.attestEvery();
        this.resyncLoop = Thread.ofVirtual().name("node-maintenance").start(() -> maintain(config.resyncEvery()));
    }

    public static NodeAgent start(NodeConfig config) throws IOException, InterruptedException {
        Path data = Files.createDirectories(config.data());
        ChainClient chain = new ChainClient(config.chain());
        FinalState state = new FinalState(chain, config.genesis(), Duration.ofSeconds(30));
        DeploymentStore store = new DeploymentStore(data.resolve("deployments"));
        Optional<ZdbServer> zdbServer = Optional.empty();
        Optional<ZdbNamespaces> namespaces = Optional.empty();
        if (config.zdb().isPresent()) {
            NodeConfig.ZdbListen z = config.zdb().get();
            ZdbServer server = ZdbServer.start(new ZdbServerConfig(
                    StoreConfig.defaults(data.resolve("zdb").resolve("data"), data.resolve("zdb").resolve("index")),
                    Optional.of(z.address()), Optional.empty(), Optional.of(z.adminPassword()), true, Optional.empty(),
                    Optional.empty()));
            InetSocketAddress bound = server.address().orElseThrow();
            zdbServer = Optional.of(server);
            namespaces = Optional.of(new ZdbNamespaces(bound, z.adminPassword()));
        }
        // A thin workload's first mount would otherwise pay for loading libfuse's bindings and RocksDB's
        // native library (seconds on a small machine); paid here, off the start path, it costs a deployment nothing.
        if (Files.exists(Path.of("/dev/fuse"))) {
            Thread.ofVirtual().name("fs-preload").start(NodeAgent::preloadFs);
        }
        SealingKey sealing = SealingKey.loadOrCreate(config.sealingKey());
        Sandbox sandbox = Sandbox.best(data);
        log.info("workloads run under {}", sandbox instanceof BwrapSandbox ? "bubblewrap" : "the unshare fallback (no bwrap here)");
        CgroupHierarchy cgroups = CgroupHierarchy.detect(config.cgroupParent());
        if (cgroups.missing().isEmpty()) {
            log.info("workload limits on {}", cgroups.describe());
        } else {
            log.warn("workload limits on {}", cgroups.describe());
        }
        String chainId = config.genesis().header().chainId();
        PortAllocator ports = new PortAllocator(data.resolve("deployments"), config.ports(), PortAllocator.MACHINE_CLAIMS, data);
        Reconciler.Host host = new Reconciler.Host(instance(data), config.publicHost(), ports,
                (contract, secret) -> sealing.open(chainId, config.nodeId(), contract, secret));
        Reconciler reconciler = new Reconciler(data.resolve("workloads"), store, contractId -> state.entry(StateKeys.contract(contractId))
                .value().map(v -> Contract.decodeEntry(v).state()), sandbox, namespaces, cgroups,
                Backoff.DEFAULT, host, name -> state.entry(StateKeys.snapshot(name)).value().map(Snapshot::decodeEntry));
        reconciler.resync();
        DeploymentVerifier verifier = new DeploymentVerifier(state, config.nodeId(), config.capacity(), store, Clock.systemUTC());
        Intake intake = Intake.start(config.intake(), verifier, store, d -> {
            try {
                reconciler.reconcile(d);
            } catch (IOException e) {
                log.warn("contract {}: reconcile after accept failed: {}", d.contractId(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, reconciler::status, reconciler::logChunk, sealing.published(config.key(), chainId, config.nodeId()));
        log.info("node {} intake on {}, workloads reached at {}, ports {}", config.nodeId(), intake.address(),
                config.publicHost(), config.ports());
        LedgerReporter reporter = new LedgerReporter(chain, config.genesis(), state, config.key(), config.nodeId());
        ContractWatcher watcher = new ContractWatcher(chain, config.nodeId(), contractId -> {
            Optional<SignedDeployment> d = store.get(contractId);
            if (d.isPresent()) {
                reconciler.reconcile(d.get());
            }
        }, new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(30)));
        Optional<MetricsEndpoint> metrics = Optional.empty();
        if (config.metrics().isPresent()) {
            MetricsRegistry registry = new MetricsRegistry();
            registerMetrics(registry, store, reconciler, ports, watcher);
            metrics = Optional.of(MetricsEndpoint.start(config.metrics().get(),
                    () -> registry.render() + ThinMetrics.render(reconciler.thinMetrics())));
        }
        return new NodeAgent(zdbServer, namespaces, reconciler, intake, reporter, store, config, watcher, metrics);
    }

    private static void preloadFs() {
        try {
            FsMount.preload();
        } catch (IOException | RuntimeException | LinkageError e) {
            log.info("thin workloads: could not preload the filesystem's libraries ({}); the first mount loads them", e.getMessage());
        }
    }

    private static void registerMetrics(MetricsRegistry registry, DeploymentStore store, Reconciler reconciler,
                                        PortAllocator ports, ContractWatcher watcher) {
        registry.gauge("quilt_node_deployments", "Deployments accepted and stored on this node", () -> {
            try {
                return store.all().size();
            } catch (IOException e) {
                return -1;
            }
        });
        for (WorkloadResult.State s : WorkloadResult.State.values()) {
            if (s != WorkloadResult.State.DELETED) {
                registry.gauge("quilt_node_workloads_" + s.json(), "Workloads in state " + s.json(),
                        () -> reconciler.counts().getOrDefault(s, 0L));
            }
        }
        registry.gauge("quilt_node_ports_held", "Host ports held for workloads", ports::held);
        registry.counter("quilt_node_contract_reactions_total", "Contracts reconciled because a final block showed them changed",
                watcher::reactions);
        registry.counter("quilt_node_block_stream_failures_total", "Times the stream of final blocks broke and was reopened",
                watcher::streamFailures);
    }

    /** Where the metrics are served, if they are. */
    public Optional<InetSocketAddress> metricsAddress() {
        return metrics.map(MetricsEndpoint::address);
    }

    /**
     * A short name for this agent, from its data directory: it prefixes its cgroups, so that two
     * agents on one machine (a devnet runs several) never share one, even for equal contract ids.
     */
    static String instance(Path data) {
        byte[] path = data.toAbsolutePath().normalize().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return "q" + dev.quilt.common.crypto.Sha256.digest(path).toString().substring(0, 8);
    }

    public InetSocketAddress intakeAddress() {
        return intake.address();
    }

    public Optional<InetSocketAddress> zdbAddress() {
        return zdbServer.flatMap(ZdbServer::address);
    }

    /** Reconciles every deployment now (also done every {@code resyncEvery}). */
    public void resync() throws IOException, InterruptedException {
        reconciler.resync();
    }

    /** The owner-facing per-workload state of one contract's deployment. */
    public java.util.Map<String, Object> status(long contractId) {
        return reconciler.status(contractId);
    }

    /** The last bytes of a process workload's output. */
    public Optional<byte[]> logs(long contractId, String workload, int bytes) throws IOException {
        return reconciler.logs(contractId, workload, bytes);
    }

    /** The maintenance loop: resync every {@code every}; attest uptime and report usage every {@code attestEvery}. */
    private void maintain(Duration every) {
        long lastAttest = System.nanoTime() - attestEvery.toNanos();
        try {
            do {
                try {
                    reconciler.resync();
                } catch (IOException e) {
                    // The chain is unreachable or not final yet: keep what runs, try again next round.
                    log.warn("resync failed: {}", e.getMessage());
                }
                if (!attestEvery.isZero() && System.nanoTime() - lastAttest >= attestEvery.toNanos()) {
                    lastAttest = System.nanoTime();
                    try {
                        reporter.attestUptime();
                        reporter.reportUsage(store, reconciler);
                    } catch (IOException e) {
                        log.warn("uptime attestation or usage report failed: {}", e.getMessage());
                    }
                }
            } while (!stop.await(every.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        stop.countDown();
        watcher.close();
        metrics.ifPresent(MetricsEndpoint::close);
        intake.close();
        try {
            resyncLoop.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reconciler.close();
        namespaces.ifPresent(ZdbNamespaces::close);
        if (zdbServer.isPresent()) {
            zdbServer.get().close();
        }
    }
}
