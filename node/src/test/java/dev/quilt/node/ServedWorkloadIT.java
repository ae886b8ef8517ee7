package dev.quilt.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quilt.chain.Location;
import dev.quilt.chain.Resources;
import dev.quilt.chain.Transaction;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.testkit.Await;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workloads that serve: ports given from the node's range and kept across an agent restart,
 * health checks probed from outside the sandbox, sealed secrets opened only inside it, and a
 * contract cancelled on the ledger seen at once from the stream of final blocks. Real chain, real
 * agents, real sandboxed HTTP servers ({@code python3 -m http.server}).
 */
class ServedWorkloadIT {
    static final long GIB = Resources.GIB;
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final Ed25519KeyPair FARMER = Documents.key(1);
    static final Ed25519KeyPair NODE = Documents.key(2);
    static final Ed25519KeyPair OWNER = Documents.key(3);
    static final Ed25519KeyPair NODE_B = Documents.key(7);
    static final String PYTHON = "/usr/bin/python3";
    static final HealthCheck.Timing QUICK = new HealthCheck.Timing(Duration.ofMinutes(10), Duration.ofMillis(200), Duration.ofSeconds(2));

    @TempDir
    Path dir;
    TestChain chain;
    final List<NodeAgent> agents = new ArrayList<>();
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().orElse("").equals("root"), "needs root for cgroups");
        assumeTrue(new ProcessBuilder("bwrap", "--version").start().waitFor() == 0, "needs bubblewrap");
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "needs " + PYTHON + " for the served workloads");
        chain = new TestChain(dir.resolve("chain"), List.of(FARMER, NODE, OWNER, NODE_B));
        chain.submit(FARMER, new Transaction.CreateTwin(Optional.empty()));
        chain.submit(FARMER, new Transaction.CreateFarm("farm-a"));
        chain.submit(OWNER, new Transaction.CreateTwin(Optional.empty()));
    }

    @AfterEach
    void stop() throws Exception {
        for (NodeAgent a : agents) {
            a.close();
        }
        if (chain != null) {
            chain.close();
        }
    }

    /**
     * An agent whose periodic resync is ten minutes away: within a test, only the stream of final
     * blocks can make it react to a contract's change.
     */
    NodeConfig register(Ed25519KeyPair key, String data) throws Exception {
        long id = NodeRegistration.register(chain.client, chain.genesis, key, 1, new Resources(4, 8 * GIB, 100 * GIB, 0),
                new Location("BE", "Ghent"), "http://127.0.0.1:1", dir.resolve(data));
        return new NodeConfig(chain.client.base(), chain.genesis, key, id, new Resources(4, 8 * GIB, 100 * GIB, 0),
                dir.resolve(data), new InetSocketAddress("127.0.0.1", 0), Optional.empty(), "quilt-it", Duration.ofMinutes(10),
                Duration.ZERO, new NodeConfig.PortRange(24000, 24999), "127.0.0.1", dir.resolve(data + ".sealing"));
    }

    NodeAgent start(NodeConfig config) throws Exception {
        NodeAgent agent = NodeAgent.start(config);
        agents.add(agent);
        return agent;
    }

    /** Serves {@code /work/site} over HTTP on its port "web" at ${host}, once {@code /work/go} exists. */
    static Workload.Process server(String name, String prelude, HealthCheck check) {
        String script = "mkdir -p site; " + prelude + "while [ ! -e go ]; do sleep 0.1; done; "
                + "exec " + PYTHON + " -m http.server \"$QUILT_PORT_WEB\" --bind \"$1\" --directory site";
        return new Workload.Process(name, 1, "/bin/sh", List.of("-c", script, "sh", "${host}"), Map.of(),
                new Workload.Limits(500, 128L << 20, 64), Workload.RestartPolicy.ON_FAILURE, List.of())
                .withPorts(List.of(new Workload.Port("web", Workload.Protocol.TCP)))
                .withHealth(check);
    }

    static HealthCheck.Http statusIs(String value, HealthCheck.Timing timing) {
        return new HealthCheck.Http("web", HealthCheck.Method.GET, "/health.json", "", 200, Optional.of("/status"),
                Optional.of(value), timing);
    }

    @Test
    void servesOnAStablePortGoesHealthyOpensItsSecretInsideOnlyAndStopsAtOnceOnCancel() throws Exception {
        NodeConfig config = register(NODE, "node");
        NodeAgent agent = start(config);

        // The owner fetches the node's sealing key, checks it against the node's key, and seals a secret to it.
        JsonNode published = json.readTree(get(agent, "/v1/node/sealing-key"));
        byte[] sealingKey = HexFormat.of().parseHex(published.get("key").asText());
        assertThat(SecretSealer.verifySealingKey(NODE.publicKey(), TestChain.CHAIN_ID, config.nodeId(), sealingKey,
                HexFormat.of().parseHex(published.get("signature").asText()))).isTrue();
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        byte[] secret = ("quilt-test-secret-" + HexFormat.of().formatHex(random)).getBytes(StandardCharsets.US_ASCII);
        long contract = 1;

        Workload.Process web = server("web", "sha256sum /work/.secrets/token | cut -c1-64; stat -c %a /work/.secrets/token; "
                + "echo '{\"status\":\"OK\"}' > site/health.json; ", statusIs("OK", QUICK))
                .withSecrets(List.of(SecretSealer.seal(sealingKey, TestChain.CHAIN_ID, config.nodeId(), contract, "token", secret)));
        Workload.Process busy = server("busy", "echo '{\"status\":\"BUSY\"}' > site/health.json; ",
                statusIs("OK", new HealthCheck.Timing(Duration.ZERO, Duration.ofMillis(200), Duration.ofSeconds(2))));
        DeploymentDocument doc = new DeploymentDocument(1, List.of(web, busy));
        chain.submit(OWNER, new Transaction.CreateNodeContract(config.nodeId(), doc.hash(), doc.resources(), 0));
        HttpResponse<String> accepted = post(agent, SignedDeployment.sign(OWNER, TestChain.CHAIN_ID, config.nodeId(), contract, doc));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

        // Until it serves, the workload is init, waiting for its health check, with the probe's last result.
        Await.until(() -> result(agent, contract, "web").message().startsWith("waiting for health check (connection refused by 127.0.0.1:"),
                TIMEOUT, () -> agent.status(contract).toString());
        WorkloadResult waiting = result(agent, contract, "web");
        assertThat(waiting.state()).isEqualTo(WorkloadResult.State.INIT);
        assertThat(waiting.health()).isEqualTo("starting");
        String endpoint = waiting.endpoints().get("web");
        int port = Integer.parseInt(endpoint.substring(endpoint.indexOf(':') + 1));
        assertThat(endpoint).isEqualTo("127.0.0.1:" + port);
        assertThat(port).isBetween(24000, 24999);

        Path root = dir.resolve("node/workloads/c1/web/root");
        Files.writeString(root.resolve("go"), "");
        Files.writeString(dir.resolve("node/workloads/c1/busy/root/go"), "");
        Await.until(() -> result(agent, contract, "web").state() == WorkloadResult.State.OK, TIMEOUT,
                () -> agent.status(contract).toString());
        assertThat(result(agent, contract, "web").health()).isEqualTo("healthy");
        assertThat(get(endpoint, "/health.json")).contains("\"OK\"");

        // A check that fails is reported with the probe's reason.
        Await.until(() -> result(agent, contract, "busy").message().contains("BUSY"), TIMEOUT, () -> agent.status(contract).toString());
        WorkloadResult failing = result(agent, contract, "busy");
        assertThat(failing.state()).isEqualTo(WorkloadResult.State.ERROR);
        assertThat(failing.message()).isEqualTo("health check failing: /status is \"BUSY\" (expected \"OK\")");
        assertThat(failing.health()).isEqualTo("unhealthy: /status is \"BUSY\" (expected \"OK\")");
        assertThat(failing.endpoints().get("web")).isNotEqualTo(endpoint);

        // The secret: the right bytes, mode 0400, inside the sandbox; in clear nowhere else under the node's data.
        String log = new String(agent.logs(contract, "web", 4096).orElseThrow(), StandardCharsets.UTF_8);
        assertThat(log).startsWith(HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(secret))
                + "\n400\n");
        Path opened = root.resolve(".secrets/token");
        assertThat(Files.readAllBytes(opened)).isEqualTo(secret);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(opened))).isEqualTo("r--------");
        assertThat(filesHolding(dir.resolve("node"), secret)).containsExactly(opened);
        assertThat(filesHolding(dir.resolve("chain"), secret)).isEmpty();

        // The agent restarts: the workload gets the same port again and is healthy again there.
        agent.close();
        agents.remove(agent);
        NodeAgent restarted = start(config);
        Await.until(() -> result(restarted, contract, "web").state() == WorkloadResult.State.OK, TIMEOUT,
                () -> restarted.status(contract).toString());
        assertThat(result(restarted, contract, "web").endpoints()).containsEntry("web", endpoint);
        assertThat(result(restarted, contract, "web").restarts()).isZero();

        // Cancelled on the ledger: seen from the stream of final blocks, long before the ten-minute resync.
        chain.submit(OWNER, new Transaction.CancelContract(contract)); // returns once the cancel is final
        long finalAt = System.nanoTime();
        Await.until(() -> ((List<?>) restarted.status(contract).get("workloads")).isEmpty(), TIMEOUT,
                () -> restarted.status(contract).toString());
        // A figure for the module's README, not an assertion: machines are noisy.
        System.err.printf("cancel final → workloads stopped and torn down: %d ms%n", (System.nanoTime() - finalAt) / 1_000_000);
        assertThat(root.getParent()).doesNotExist();
        assertThat(PortAllocator.MACHINE_CLAIMS.resolve(Integer.toString(port))).doesNotExist();
        assertThat(dir.resolve("node/deployments/1.ports")).doesNotExist();
        assertThat(filesHolding(dir.resolve("node"), secret)).isEmpty();
    }

    @Test
    void twoAgentsOnOneMachineRunSideBySide() throws Exception {
        NodeConfig a = register(NODE, "node-a");
        NodeConfig b = register(NODE_B, "node-b");
        assertThat(NodeAgent.instance(a.data())).isNotEqualTo(NodeAgent.instance(b.data()));
        NodeAgent agentA = start(a);
        NodeAgent agentB = start(b);
        // Same port range, same workload name: the agents must still keep apart.
        Workload.Process served = server("web", "echo '{\"status\":\"OK\"}' > site/health.json; touch go; ",
                new HealthCheck.Tcp("web", QUICK));
        DeploymentDocument docA = new DeploymentDocument(1, List.of(served));
        DeploymentDocument docB = docA; // one hash on two nodes is allowed
        chain.submit(OWNER, new Transaction.CreateNodeContract(a.nodeId(), docA.hash(), docA.resources(), 0)); // contract 1
        chain.submit(OWNER, new Transaction.CreateNodeContract(b.nodeId(), docB.hash(), docB.resources(), 0)); // contract 2
        assertThat(post(agentA, SignedDeployment.sign(OWNER, TestChain.CHAIN_ID, a.nodeId(), 1, docA)).statusCode()).isEqualTo(202);
        assertThat(post(agentB, SignedDeployment.sign(OWNER, TestChain.CHAIN_ID, b.nodeId(), 2, docB)).statusCode()).isEqualTo(202);
        Await.until(() -> result(agentA, 1, "web").state() == WorkloadResult.State.OK
                && result(agentB, 2, "web").state() == WorkloadResult.State.OK, TIMEOUT,
                () -> agentA.status(1) + " " + agentB.status(2));
        String endpointA = result(agentA, 1, "web").endpoints().get("web");
        String endpointB = result(agentB, 2, "web").endpoints().get("web");
        assertThat(endpointA).isNotEqualTo(endpointB);
        assertThat(get(endpointA, "/health.json")).contains("OK");
        assertThat(get(endpointB, "/health.json")).contains("OK");
    }

    static WorkloadResult result(NodeAgent agent, long contract, String workload) {
        return ((List<?>) agent.status(contract).get("workloads")).stream().map(WorkloadResult.class::cast)
                .filter(w -> w.name().equals(workload)).findFirst()
                .orElse(new WorkloadResult(workload, 0, WorkloadResult.State.INIT, "not there"));
    }

    /** Every regular file under {@code root} whose bytes contain {@code needle}. */
    static List<Path> filesHolding(Path root, byte[] needle) throws Exception {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(f);
                for (int i = 0; i + needle.length <= bytes.length; i++) {
                    if (java.util.Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                        out.add(f);
                        break;
                    }
                }
            }
        }
        return out;
    }

    String get(NodeAgent agent, String path) throws Exception {
        return get("127.0.0.1:" + agent.intakeAddress().getPort(), path);
    }

    String get(String endpoint, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + endpoint + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    HttpResponse<String> post(NodeAgent agent, SignedDeployment d) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + agent.intakeAddress().getPort() + "/v1/deployments");
        return http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(
                "{\"hex\":\"" + HexFormat.of().formatHex(d.encode()) + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }
}
