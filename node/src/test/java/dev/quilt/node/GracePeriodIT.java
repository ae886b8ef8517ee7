package dev.quilt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quilt.chain.ContractState;
import dev.quilt.chain.Location;
import dev.quilt.chain.Resources;
import dev.quilt.chain.Transaction;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.testkit.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A contract's grace period on a real ledger, through a real agent: the chain bills every 2 seconds
 * of block time from the usage and uptime the agent itself reports, and deletes a contract 20
 * seconds into an unpaid grace period. The workload appends a counter to a file in its private
 * directory every 100 ms, so whether it runs, stands still or was started again shows in the file.
 */
class GracePeriodIT {
    static final long GIB = Resources.GIB;
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final long BILLING_SECONDS = 2;
    static final long GRACE_SECONDS = 20;
    static final Ed25519KeyPair FARMER = Documents.key(1);
    static final Ed25519KeyPair NODE = Documents.key(2);
    static final Ed25519KeyPair OWNER = Documents.key(3);
    static final String CGROUP_PARENT = "quilt-grace";
    static final DeploymentDocument COUNTER = new DeploymentDocument(1, List.of(new Workload.Process("counter", 1, "/bin/sh",
            List.of("-c", "i=0; while :; do i=$((i+1)); echo $i >> /work/counter; sleep 0.1; done"), Map.of(),
            new Workload.Limits(500, 64L << 20, 32), Workload.RestartPolicy.ALWAYS, List.of())));

    @TempDir
    Path dir;
    TestChain chain;
    NodeAgent agent;
    NodeConfig config;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "needs root for cgroups");
        assumeTrue(new ProcessBuilder("bwrap", "--version").start().waitFor() == 0, "needs bubblewrap");
        chain = new TestChain(dir.resolve("chain"), List.of(FARMER, NODE, OWNER), BILLING_SECONDS, GRACE_SECONDS, BILLING_SECONDS);
        chain.submit(FARMER, new Transaction.CreateTwin(Optional.empty()));
        chain.submit(FARMER, new Transaction.CreateFarm("farm-a"));
        chain.submit(OWNER, new Transaction.CreateTwin(Optional.empty()));
        Resources capacity = new Resources(4, 8 * GIB, 100 * GIB, 0);
        long id = NodeRegistration.register(chain.client, chain.genesis, NODE, 1, capacity, new Location("BE", "Ghent"),
                "http://127.0.0.1:1", dir.resolve("node"));
        // The maintenance loop runs every second and attests uptime each time, so every 2-second window is live and
        // billed in full; the contract changes reach the agent through the stream of final blocks or that loop.
        config = new NodeConfig(chain.client.base(), chain.genesis, NODE, id, capacity, dir.resolve("node"),
                new InetSocketAddress("127.0.0.1", 0), Optional.empty(), CGROUP_PARENT, Duration.ofSeconds(1),
                Duration.ofSeconds(1)).withMetrics(new InetSocketAddress("127.0.0.1", 0));
        agent = NodeAgent.start(config);
    }

    @AfterEach
    void stop() throws Exception {
        try (TestChain c = chain; NodeAgent a = agent) {
            // Closing is all: in reverse order, the agent first; a null (a skipped test) is passed over.
        }
    }

    @Test
    void aContractInGraceIsFrozenWhereItStoodAndContinuesThereWhenPaid() throws Exception {
        deploy(COUNTER);
        Set<Long> pids = longLivedPids();
        assertThat(pids).isNotEmpty();

        // About one billing period left (a 2-second bill of 0.25 CU at 100 000 an hour is 13): the next bill or the one after fails.
        drainOwnerTo(15);
        Await.until(() -> contractState() instanceof ContractState.GracePeriod, TIMEOUT, () -> "contract: " + contractState());
        Await.until(() -> state() == WorkloadResult.State.PAUSED, TIMEOUT, () -> agent.status(1).toString());
        Await.until(this::frozen, TIMEOUT, () -> "cgroup " + group() + " not frozen");
        int atPause = counter().size();
        // A frozen process writes nothing more, however long it is left: ten of its periods here.
        Thread.sleep(1000);
        assertThat(counter()).hasSize(atPause);
        assertThat(pids).allMatch(GracePeriodIT::alive);
        assertThat(message()).isEqualTo("frozen: contract in grace period");

        // The twin is funded: the ledger ends the grace period and the agent thaws the very same processes.
        chain.submit(FARMER, new Transaction.Transfer(OWNER.publicKey(), 1_000_000));
        Await.until(() -> contractState() instanceof ContractState.Created, TIMEOUT, () -> "contract: " + contractState());
        Await.until(() -> state() == WorkloadResult.State.OK && counter().size() > atPause + 5, TIMEOUT,
                () -> agent.status(1) + ", counter at " + counter().size() + " (paused at " + atPause + ")");
        assertThat(frozen()).isFalse();
        assertThat(longLivedPids()).isEqualTo(pids);
        List<Long> counted = counter();
        // One run counting on: 1, 2, ... with no gap and no second "1" (a restart would begin again at 1).
        assertThat(counted).isEqualTo(LongStream.rangeClosed(1, counted.size()).boxed().toList());
        assertThat(restarts()).isZero();
    }

    @Test
    void aContractWhoseGraceRunsOutIsDeletedOnTheLedgerAndTornDownOnTheNode() throws Exception {
        deploy(COUNTER);
        Set<Long> pids = pids();
        Path group = group();
        assertThat(chain.node.state().node(1).orElseThrow().reserved()).isEqualTo(COUNTER.resources());

        drainOwnerTo(0);
        Await.until(() -> state() == WorkloadResult.State.PAUSED, TIMEOUT, () -> agent.status(1).toString());
        Await.until(() -> contractState() instanceof ContractState.Deleted, TIMEOUT, () -> "contract: " + contractState());
        assertThat(contractState()).isEqualTo(new ContractState.Deleted(ContractState.DeletionReason.OUT_OF_FUNDS));
        Await.until(() -> ((List<?>) agent.status(1).get("workloads")).isEmpty(), TIMEOUT, () -> agent.status(1).toString());
        // Frozen processes are killed too (thawed first), their cgroup removed, their directory gone.
        Await.until(() -> pids.stream().noneMatch(GracePeriodIT::alive), TIMEOUT, () -> "still alive: " + pids);
        assertThat(group).doesNotExist();
        assertThat(dir.resolve("node/workloads/c1/counter")).doesNotExist();
        assertThat(dir.resolve("node/deployments/1.deployment")).doesNotExist();
        // The ledger released the contract's reservation on the node.
        assertThat(chain.node.state().node(1).orElseThrow().reserved()).isEqualTo(Resources.ZERO);
    }

    /**
     * A thin workload through grace: the snapshot stays mounted while its reader and writer is frozen;
     * what it wrote before is flushed to zstor meanwhile and nothing is fetched; paid again, the same
     * process reads and writes the mount on from where it stood.
     */
    @Test
    void aThinMountStaysThroughGraceFlushesWhatWasWrittenAndServesTheThawedProcess() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "needs /dev/fuse");
        Path src = Files.createDirectories(dir.resolve("src"));
        byte[] content = new byte[(2 << 20) + 777];
        new java.util.Random(11).nextBytes(content);
        Files.write(src.resolve("file"), content);
        try (ZstorBackends backends = new ZstorBackends(dir.resolve("zdbs"))) {
            dev.quilt.common.crypto.Hash256 manifest = backends.snapshot(src);
            chain.submit(OWNER, new Transaction.PublishSnapshot("grace-data", manifest, content.length, Optional.empty(),
                    Optional.empty()));
            var zstor = SecretSealer.seal(SealingKey.loadOrCreate(config.sealingKey()).publicKey(), TestChain.CHAIN_ID, 1, 1,
                    "zstor", backends.toml().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            // Each round reads the snapshot's file through the mount, then counts in its private directory and on the mount.
            DeploymentDocument doc = new DeploymentDocument(1, List.of(
                    new Workload.Thin("data", 1, manifest, Optional.of("grace-data"), 16L << 20, zstor),
                    new Workload.Process("counter", 1, "/bin/sh", List.of("-c", "i=0; while :; do i=$((i+1)); "
                            + "cat /data/file > /dev/null && echo $i >> /work/counter && echo $i >> /data/written; sleep 0.1; done"),
                            Map.of(), new Workload.Limits(500, 64L << 20, 32), Workload.RestartPolicy.ALWAYS,
                            List.of(new Workload.Mount("data", "/data")))));
            deploy(doc);
            Path mnt = dir.resolve("node/workloads/c1/data/mnt");
            String data = "{contract=\"1\",workload=\"data\"}";
            assertThat(NodeAgentIT.sample(metricsText(), "quilt_fs_fetched_bytes_total" + data)).isGreaterThanOrEqualTo(content.length);

            drainOwnerTo(15);
            Await.until(() -> state() == WorkloadResult.State.PAUSED, TIMEOUT, () -> agent.status(1).toString());
            Await.until(this::frozen, TIMEOUT, () -> "cgroup " + group() + " not frozen");
            int atPause = counter().size();
            assertThat(NodeAgentIT.mounted(mnt)).isTrue();
            assertThat(((List<?>) agent.status(1).get("workloads")).stream().map(WorkloadResult.class::cast)
                    .filter(w -> w.name().equals("data")).findFirst().orElseThrow().state()).isEqualTo(WorkloadResult.State.PAUSED);
            // The writes from before the freeze reach zstor while paused (flushed after 2 s without writes).
            Await.until(() -> sampleOf("quilt_fs_dirty_bytes" + data) == 0 && sampleOf("quilt_fs_flushed_chunks_total" + data) > 0,
                    TIMEOUT, () -> metricsText());
            long fetches = sampleOf("quilt_fs_fetches_total" + data);
            Thread.sleep(1000);
            assertThat(sampleOf("quilt_fs_fetches_total" + data)).isEqualTo(fetches);
            assertThat(counter()).hasSize(atPause);

            chain.submit(FARMER, new Transaction.Transfer(OWNER.publicKey(), 1_000_000));
            Await.until(() -> state() == WorkloadResult.State.OK && counter().size() > atPause + 5, TIMEOUT,
                    () -> agent.status(1) + ", counter at " + counter().size() + " (paused at " + atPause + ")");
            List<Long> counted = counter();
            assertThat(counted).isEqualTo(LongStream.rangeClosed(1, counted.size()).boxed().toList());
            // The same run on the mount, read from the host through FUSE: the thawed process kept writing there.
            List<Long> written = Files.readAllLines(mnt.resolve("written")).stream().map(Long::parseLong).toList();
            assertThat(written).isEqualTo(LongStream.rangeClosed(1, written.size()).boxed().toList()).hasSizeGreaterThan(atPause + 5);
            assertThat(restarts()).isZero();
        }
    }

    /** Contract 1 for {@code doc}, accepted by the agent, its "counter" process counting. */
    void deploy(DeploymentDocument doc) throws Exception {
        chain.submit(OWNER, new Transaction.CreateNodeContract(1, doc.hash(), doc.resources(), 0));
        URI uri = URI.create("http://127.0.0.1:" + agent.intakeAddress().getPort() + "/v1/deployments");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(
                "{\"hex\":\"" + HexFormat.of().formatHex(SignedDeployment.sign(OWNER, TestChain.CHAIN_ID, 1, 1, doc).encode())
                        + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        Await.until(() -> counter().size() >= 10, TIMEOUT, () -> agent.status(1) + ", counter at " + counter().size());
        assertThat(state()).isEqualTo(WorkloadResult.State.OK);
    }

    /**
     * Moves the owner's balance to the farmer but {@code left}. A bill may land between reading the
     * balance and the transfer, which is then refused: read it again and retry.
     */
    void drainOwnerTo(long left) throws Exception {
        for (int attempt = 1; ; attempt++) {
            long balance = chain.client.account(OWNER.publicKey()).balance();
            try {
                chain.submit(OWNER, new Transaction.Transfer(FARMER.publicKey(), balance - left));
                return;
            } catch (AssertionError refused) {
                if (attempt == 10 || !refused.getMessage().contains("insufficient balance")) {
                    throw refused;
                }
            }
        }
    }

    String metricsText() {
        try {
            return NodeAgentIT.get(agent.metricsAddress().orElseThrow(), "/metrics");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    long sampleOf(String series) {
        return NodeAgentIT.sample(metricsText(), series);
    }

    ContractState contractState() {
        return chain.node.state().contract(1).orElseThrow().state();
    }

    /** The counter's lines so far; a line being written is left out. */
    List<Long> counter() {
        try {
            Path file = dir.resolve("node/workloads/c1/counter/root/counter");
            if (!Files.exists(file)) {
                return List.of();
            }
            String[] lines = Files.readString(file).split("\n", -1);
            return java.util.Arrays.stream(lines, 0, lines.length - 1).map(Long::parseLong).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The workload's cgroup that holds the freezer: the unified group on v2, the freezer hierarchy's on v1. */
    Path group() {
        String name = NodeAgent.instance(dir.resolve("node")) + "-c1-counter";
        Path v2 = Cgroup.ROOT.resolve(CGROUP_PARENT).resolve(name);
        return Files.exists(Cgroup.ROOT.resolve("cgroup.controllers")) ? v2
                : Cgroup.ROOT.resolve("freezer").resolve(CGROUP_PARENT).resolve(name);
    }

    boolean frozen() {
        try {
            Path v1 = group().resolve("freezer.state");
            return Files.exists(v1) ? Files.readString(v1).strip().equals("FROZEN")
                    : Files.readString(group().resolve("cgroup.events")).contains("frozen 1");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The host pids in the workload's cgroup: the sandbox and everything it started. */
    Set<Long> pids() throws IOException {
        return Files.readAllLines(group().resolve("cgroup.procs")).stream().map(String::strip).map(Long::parseLong)
                .collect(Collectors.toSet());
    }

    /**
     * The sandbox and the shell that counts, without the loop's short {@code sleep}s, which come and
     * go: the pids seen twice, 300 ms apart, as something other than {@code sleep} (a child caught
     * between fork and exec is the shell the first time and {@code sleep} or gone the second).
     */
    Set<Long> longLivedPids() throws Exception {
        Set<Long> first = longLived(pids());
        Thread.sleep(300);
        first.retainAll(longLived(pids()));
        return first;
    }

    static Set<Long> longLived(Set<Long> pids) {
        return pids.stream().filter(pid -> ProcessHandle.of(pid).flatMap(h -> h.info().command())
                .filter(c -> !c.endsWith("/sleep")).isPresent()).collect(Collectors.toCollection(java.util.HashSet::new));
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    WorkloadResult workload() {
        return ((List<?>) agent.status(1).get("workloads")).stream().map(WorkloadResult.class::cast).findFirst().orElseThrow();
    }

    WorkloadResult.State state() {
        return workload().state();
    }

    String message() {
        return workload().message();
    }

    int restarts() {
        return workload().restarts();
    }
}
