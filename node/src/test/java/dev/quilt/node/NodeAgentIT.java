package dev.quilt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quilt.chain.Location;
import dev.quilt.chain.Resources;
import dev.quilt.chain.Transaction;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.testkit.Await;
import dev.quilt.testkit.FreePorts;
import dev.quilt.zdb.client.ZdbClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole agent against a real chain: a deployment with a volume, a zdb namespace and a process
 * is accepted, runs, survives an agent restart, and is torn down when its contract is cancelled.
 */
class NodeAgentIT {
    static final long GIB = Resources.GIB;
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final Ed25519KeyPair FARMER = Documents.key(1);
    static final Ed25519KeyPair NODE = Documents.key(2);
    static final Ed25519KeyPair OWNER = Documents.key(3);

    @TempDir
    Path dir;
    TestChain chain;
    NodeAgent agent;
    NodeConfig config;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "needs root for cgroups and loop mounts");
        assumeTrue(new ProcessBuilder("bwrap", "--version").start().waitFor() == 0, "needs bubblewrap");
        chain = new TestChain(dir.resolve("chain"), List.of(FARMER, NODE, OWNER));
        chain.submit(FARMER, new Transaction.CreateTwin(Optional.empty()));
        chain.submit(FARMER, new Transaction.CreateFarm("farm-a"));
        Resources measured = CapacityProbe.measure(List.of(dir));
        assertThat(measured.cru()).isPositive();
        // The node registers itself (twin, then node) and finds its id in final state; a second call finds it again.
        Resources offered = new Resources(8, 32 * GIB, 1000 * GIB, 0);
        assertThat(NodeRegistration.register(chain.client, chain.genesis, NODE, 1, offered, new Location("BE", "Ghent"),
                "http://127.0.0.1:1", dir.resolve("node"))).isEqualTo(1);
        assertThat(NodeRegistration.register(chain.client, chain.genesis, NODE, 1, offered, new Location("BE", "Ghent"),
                "http://127.0.0.1:1", dir.resolve("node"))).isEqualTo(1);
        chain.submit(OWNER, new Transaction.CreateTwin(Optional.empty()));
        config = new NodeConfig(chain.client.base(), chain.genesis, NODE, 1, new Resources(4, 8 * GIB, 100 * GIB, 0),
                dir.resolve("node"), new InetSocketAddress("127.0.0.1", 0),
                Optional.of(new NodeConfig.ZdbListen(new InetSocketAddress("127.0.0.1", FreePorts.next()), "admin-secret")),
                "quilt-it", Duration.ofMillis(500), Duration.ofSeconds(2)).withMetrics(new InetSocketAddress("127.0.0.1", 0));
        agent = NodeAgent.start(config);
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (chain != null) {
            chain.close();
        }
    }

    @Test
    void runsADeploymentReAdoptsItAfterARestartAndTearsItDownOnCancel() throws Exception {
        DeploymentDocument doc = new DeploymentDocument(1, List.of(
                new Workload.Volume("data", 1, 32L << 20),
                new Workload.ZdbNamespace("cache", 1, 64L << 20, Workload.ZdbMode.USER, Optional.of("ns-secret"), false),
                new Workload.Process("app", 1, "/bin/sh", List.of("-c",
                        "echo run >> /data/runs; cat /data/runs | wc -l; head -c 64m /dev/zero > /data/big 2>&1 || echo full; rm /data/big; sleep 600"),
                        Map.of(), new Workload.Limits(500, 64L << 20, 32), Workload.RestartPolicy.ALWAYS,
                        List.of(new Workload.Mount("data", "/data")))));
        chain.submit(OWNER, new Transaction.CreateNodeContract(1, doc.hash(), doc.resources(), 0)); // contract 1
        HttpResponse<String> r = post(SignedDeployment.sign(OWNER, TestChain.CHAIN_ID, 1, 1, doc));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);

        Await.until(() -> log("app").contains("full"), TIMEOUT, () -> agent.status(1) + " " + log("app"));
        // The volume holds its size and no more; the first run saw one line in it.
        assertThat(log("app")).startsWith("1\n");
        assertThat(state("app")).isEqualTo(WorkloadResult.State.OK);
        assertThat(state("data")).isEqualTo(WorkloadResult.State.OK);
        // The maintenance loop attests uptime and reports the contract's usage.
        Await.until(() -> !chain.node.state().node(1).orElseThrow().attestedWindows().isEmpty()
                        && chain.node.state().contract(1).map(c -> ((dev.quilt.chain.ContractKind.NodeContract) c.kind()).used())
                                .orElseThrow().equals(doc.resources()),
                TIMEOUT, () -> chain.node.state().node(1) + " " + chain.node.state().contract(1));
        String cache = agent.status(1).get("workloads").toString();
        assertThat(cache).contains("namespace c1-cache at 127.0.0.1:");
        try (ZdbClient ns = ZdbClient.builder("127.0.0.1", agent.zdbAddress().orElseThrow().getPort())
                .namespace("c1-cache", "ns-secret").build()) {
            ns.set("k", "v");
            assertThat(ns.get("k")).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
        }

        // The agent restarts on the same data: it re-adopts the deployment and starts the process again.
        agent.close();
        agent = NodeAgent.start(config);
        Await.until(() -> log("app").contains("full\n2\n"), TIMEOUT, () -> agent.status(1) + " " + log("app"));

        chain.submit(OWNER, new Transaction.CancelContract(1));
        Await.until(() -> ((List<?>) agent.status(1).get("workloads")).isEmpty(), TIMEOUT, () -> agent.status(1).toString());
        assertThat(dir.resolve("node/deployments/1.deployment")).doesNotExist();
        assertThat(dir.resolve("node/workloads/c1/data/volume.ext4")).doesNotExist();
    }

    /**
     * A published snapshot mounted thin (real FUSE, real zdbs through zstor): a process reads a file
     * from it; a thin workload whose manifest is not the ledger's for its name is refused; the mount
     * comes back after an agent restart and is gone after cancelling.
     */
    @Test
    void mountsAPublishedSnapshotThinRefusesAnUnpublishedManifestAndUnmountsOnCancel() throws Exception {
        assumeTrue(java.nio.file.Files.exists(Path.of("/dev/fuse")), "needs /dev/fuse");
        Path src = java.nio.file.Files.createDirectories(dir.resolve("src"));
        byte[] content = new byte[(3 << 20) + 12345];
        new java.util.Random(7).nextBytes(content);
        java.nio.file.Files.write(src.resolve("file"), content);
        String expected = dev.quilt.common.crypto.Sha256.digest(content).hex();
        try (ZstorBackends backends = new ZstorBackends(dir.resolve("zdbs"))) {
            dev.quilt.common.crypto.Hash256 manifest = backends.snapshot(src);
            chain.submit(OWNER, new Transaction.PublishSnapshot("it-data", manifest, content.length, Optional.empty(),
                    Optional.empty()));
            byte[] sealingKey = SealingKey.loadOrCreate(config.sealingKey()).publicKey();
            var zstor = SecretSealer.seal(sealingKey, TestChain.CHAIN_ID, 1, 1, "zstor",
                    backends.toml().getBytes(StandardCharsets.UTF_8));
            DeploymentDocument doc = new DeploymentDocument(1, List.of(
                    new Workload.Thin("data", 1, manifest, Optional.of("it-data"), 16L << 20, zstor),
                    new Workload.Thin("forged", 1, dev.quilt.common.crypto.Hash256.ZERO, Optional.of("it-data"), 16L << 20, zstor),
                    new Workload.Process("reader", 1, "/bin/sh", List.of("-c", "sha256sum /data/file; sleep 600"), Map.of(),
                            new Workload.Limits(500, 64L << 20, 32), Workload.RestartPolicy.ALWAYS,
                            List.of(new Workload.Mount("data", "/data")))));
            chain.submit(OWNER, new Transaction.CreateNodeContract(1, doc.hash(), doc.resources(), 0)); // contract 1
            HttpResponse<String> r = post(SignedDeployment.sign(OWNER, TestChain.CHAIN_ID, 1, 1, doc));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);

            Await.until(() -> log("reader").contains(expected), TIMEOUT, () -> agent.status(1) + " " + log("reader"));
            assertThat(state("data")).isEqualTo(WorkloadResult.State.OK);
            assertThat(message("data")).contains("mounted snapshot it-data " + manifest.hex());
            assertThat(state("forged")).isEqualTo(WorkloadResult.State.ERROR);
            assertThat(message("forged")).isEqualTo("snapshot it-data has no version with manifest "
                    + dev.quilt.common.crypto.Hash256.ZERO.hex() + " (latest: " + manifest.hex() + ")");
            Path mnt = dir.resolve("node/workloads/c1/data/mnt");
            assertThat(mounted(mnt)).isTrue();
            // The mount's fs metrics are on the agent's endpoint, labelled with its contract and workload: the
            // reader read the whole file through it, so at least its size was fetched.
            String metrics = metrics();
            String data = "{contract=\"1\",workload=\"data\"}";
            assertThat(sample(metrics, "quilt_fs_fetched_bytes_total" + data)).isGreaterThanOrEqualTo(content.length);
            assertThat(sample(metrics, "quilt_fs_cache_misses_total" + data)).isPositive();
            assertThat(metrics).contains("# TYPE quilt_fs_fetched_bytes_total counter\n", "quilt_fs_dirty_bytes" + data + " ",
                    "quilt_fs_cached_bytes" + data + " ", "quilt_fs_evictions_total" + data + " ", "quilt_node_deployments 1\n")
                    .doesNotContain("workload=\"forged\"");

            // After a restart the agent mounts it again over the kept cache and the reader runs again.
            agent.close();
            assertThat(mounted(mnt)).isFalse();
            agent = NodeAgent.start(config);
            Await.until(() -> log("reader").indexOf(expected) != log("reader").lastIndexOf(expected), TIMEOUT,
                    () -> agent.status(1) + " " + log("reader"));
            assertThat(mounted(mnt)).isTrue();
            assertThat(metrics()).contains("quilt_fs_fetched_bytes_total{contract=\"1\",workload=\"data\"} ");

            chain.submit(OWNER, new Transaction.CancelContract(1));
            Await.until(() -> ((List<?>) agent.status(1).get("workloads")).isEmpty(), TIMEOUT, () -> agent.status(1).toString());
            assertThat(mounted(mnt)).isFalse();
            assertThat(dir.resolve("node/workloads/c1/data")).doesNotExist();
            assertThat(metrics()).doesNotContain("quilt_fs_");
        }
    }

    String metrics() throws Exception {
        return get(agent.metricsAddress().orElseThrow(), "/metrics");
    }

    static String get(InetSocketAddress address, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + address.getPort() + path);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of the series {@code series} (name and labels) in a Prometheus text; fails when it is not there. */
    static long sample(String text, String series) {
        return text.lines().filter(l -> l.startsWith(series + " ")).mapToLong(l -> Long.parseLong(l.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(series + " not in:\n" + text));
    }

    static boolean mounted(Path mountPoint) throws java.io.IOException {
        String target = mountPoint.toAbsolutePath().toString();
        return java.nio.file.Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(l -> l.split(" ")[4]).anyMatch(target::equals);
    }

    String message(String workload) {
        return ((List<?>) agent.status(1).get("workloads")).stream().map(WorkloadResult.class::cast)
                .filter(w -> w.name().equals(workload)).findFirst().orElseThrow().message();
    }

    WorkloadResult.State state(String workload) {
        return ((List<?>) agent.status(1).get("workloads")).stream().map(WorkloadResult.class::cast)
                .filter(w -> w.name().equals(workload)).findFirst().orElseThrow().state();
    }

    String log(String workload) {
        try {
            return agent.logs(1, workload, 4096).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    HttpResponse<String> post(SignedDeployment d) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + agent.intakeAddress().getPort() + "/v1/deployments");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(
                "{\"hex\":\"" + HexFormat.of().formatHex(d.encode()) + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }
}
