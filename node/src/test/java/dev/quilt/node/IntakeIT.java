package dev.quilt.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quilt.chain.Location;
import dev.quilt.chain.Resources;
import dev.quilt.chain.Transaction;
import dev.quilt.common.crypto.Ed25519KeyPair;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four trust checks against a real one-validator chain, through the intake's HTTP endpoint:
 * each violation is refused with its reason, and nothing refused reaches the reconciler.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntakeIT {
    static final long GIB = Resources.GIB;
    static final Ed25519KeyPair FARMER = Documents.key(1);
    static final Ed25519KeyPair NODE = Documents.key(2);
    static final Ed25519KeyPair OTHER_NODE = Documents.key(6);
    static final Ed25519KeyPair OWNER = Documents.key(3);
    static final Ed25519KeyPair STRANGER = Documents.key(4);
    static final Resources NODE_CAPACITY = new Resources(4, 16 * GIB, 200 * GIB, 0);
    static final Resources RESERVED = new Resources(1, GIB, 2 * GIB, 0);

    static final DeploymentDocument DOC = Documents.process(1, "sleep 1000", 256L << 20, Workload.RestartPolicy.NEVER);
    static final DeploymentDocument OTHER_DOC = Documents.process(1, "sleep 2000", 256L << 20, Workload.RestartPolicy.NEVER);
    static final DeploymentDocument BIG_DOC = Documents.process(1, "sleep 3000", 2 * GIB, Workload.RestartPolicy.NEVER);

    @TempDir
    static Path dir;
    TestChain chain;
    Intake intake;
    Intake otherIntake;
    BoundedLog jobOutput;
    final List<SignedDeployment> accepted = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void start() throws Exception {
        chain = new TestChain(dir.resolve("chain"), List.of(FARMER, NODE, OTHER_NODE, OWNER, STRANGER));
        Resources registered = new Resources(8, 32 * GIB, 1000 * GIB, 0);
        chain.submit(FARMER, new Transaction.CreateTwin(Optional.empty()));                          // twin 1
        chain.submit(FARMER, new Transaction.CreateFarm("farm-a"));                                  // farm 1
        chain.submit(NODE, new Transaction.CreateTwin(Optional.empty()));                            // twin 2
        chain.submit(NODE, new Transaction.RegisterNode(1, registered, new Location("BE", "Ghent"), "http://127.0.0.1:1")); // node 1
        chain.submit(OTHER_NODE, new Transaction.CreateTwin(Optional.empty()));                      // twin 3
        chain.submit(OTHER_NODE, new Transaction.RegisterNode(1, registered, new Location("BE", "Ghent"), "http://127.0.0.1:2")); // node 2
        chain.submit(OWNER, new Transaction.CreateTwin(Optional.empty()));                           // twin 4
        chain.submit(STRANGER, new Transaction.CreateTwin(Optional.empty()));                        // twin 5
        chain.submit(OWNER, new Transaction.CreateNodeContract(1, DOC.hash(), RESERVED, 0));         // contract 1
        chain.submit(OWNER, new Transaction.CreateNodeContract(2, DOC.hash(), RESERVED, 0));         // contract 2, node 2
        chain.submit(OWNER, new Transaction.CreateNodeContract(1, BIG_DOC.hash(), RESERVED, 0));     // contract 3, too small
        jobOutput = new BoundedLog(dir.resolve("job.log"), 1 << 20);
        jobOutput.copy(new java.io.ByteArrayInputStream("hello\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        intake = intakeFor(1, "node1");
        otherIntake = intakeFor(2, "node2");
    }

    Intake intakeFor(long nodeId, String data) throws Exception {
        FinalState state = new FinalState(chain.client, chain.genesis, Duration.ofSeconds(30));
        DeploymentStore store = new DeploymentStore(dir.resolve(data).resolve("deployments"));
        DeploymentVerifier verifier = new DeploymentVerifier(state, nodeId, NODE_CAPACITY, store, Clock.systemUTC());
        return Intake.start(new InetSocketAddress("127.0.0.1", 0), verifier, store, accepted::add,
                contract -> Map.of("contract", contract, "workloads", List.of()),
                (contract, workload, epoch, from, max, wait) -> {
                    if (!workload.equals("job")) {
                        return Optional.empty();
                    }
                    jobOutput.awaitOutput(epoch, from, wait);
                    return Optional.of(jobOutput.read(epoch, from, max));
                },
                SealingKey.loadOrCreate(dir.resolve(data).resolve("sealing.key")).published(nodeId == 1 ? NODE : OTHER_NODE,
                        TestChain.CHAIN_ID, nodeId));
    }

    @AfterAll
    void stop() throws Exception {
        intake.close();
        otherIntake.close();
        chain.close();
    }

    HttpResponse<String> post(Intake to, String path, byte[] bytes) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + to.address().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(
                "{\"hex\":\"" + HexFormat.of().formatHex(bytes) + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(Intake to, String path, String body) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + to.address().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String refusal(Intake to, SignedDeployment d, int status) throws Exception {
        int before = accepted.size();
        HttpResponse<String> r = post(to, "/v1/deployments", d.encode());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(accepted).hasSize(before);
        return json.readTree(r.body()).get("error").asText();
    }

    @Test
    void acceptsAValidDocumentAndAnswersItsOwnersStatusQuery() throws Exception {
        SignedDeployment d = SignedDeployment.sign(OWNER, TestChain.CHAIN_ID, 1, 1, DOC);
        HttpResponse<String> r = post(intake, "/v1/deployments", d.encode());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("status").asText()).isEqualTo("accepted");
        assertThat(body.get("hash").asText()).isEqualTo(DOC.hash().toString());
        assertThat(accepted).contains(d);

        long now = System.currentTimeMillis() / 1000;
        HttpResponse<String> status = post(intake, "/v1/deployments/status",
                StatusQuery.sign(OWNER, TestChain.CHAIN_ID, 1, 1, now).encode());
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        HttpResponse<String> stranger = post(intake, "/v1/deployments/status",
                StatusQuery.sign(STRANGER, TestChain.CHAIN_ID, 1, 1, now).encode());
        assertThat(stranger.statusCode()).isEqualTo(403);
        assertThat(json.readTree(stranger.body()).get("error").asText())
                .isEqualTo("not signed by the owner of a contract on this node (contract 1, twin 4)");

        String query = HexFormat.of().formatHex(StatusQuery.sign(OWNER, TestChain.CHAIN_ID, 1, 1, now).encode());
        HttpResponse<String> logs = postJson(intake, "/v1/deployments/logs", "{\"hex\":\"" + query + "\",\"workload\":\"job\"}");
        assertThat(logs.statusCode()).as(logs.body()).isEqualTo(200);
        JsonNode first = json.readTree(logs.body());
        assertThat(first.get("log").asText()).isEqualTo("hello\n");
        assertThat(first.get("next").asLong()).isEqualTo(6);
        jobOutput.copy(new java.io.ByteArrayInputStream("world\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        JsonNode after = json.readTree(postJson(intake, "/v1/deployments/logs", "{\"hex\":\"" + query
                + "\",\"workload\":\"job\",\"epoch\":" + first.get("epoch").asLong() + ",\"from\":6}").body());
        assertThat(after.get("log").asText()).as("only what followed position 6").isEqualTo("world\n");
        assertThat(after.get("next").asLong()).isEqualTo(12);
        assertThat(after.get("skipped").asLong()).isZero();
        assertThat(after.get("more").asBoolean()).isFalse();
        // With "wait", a request that finds nothing new is held until output comes, and answered with it.
        long epoch = first.get("epoch").asLong();
        java.util.concurrent.CompletableFuture<HttpResponse<String>> held = http.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + intake.address().getPort() + "/v1/deployments/logs"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"hex\":\"" + query + "\",\"workload\":\"job\",\"epoch\":" + epoch
                        + ",\"from\":12,\"wait\":30000}")).build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertThat(held).as("answered before any output came").isNotDone();
        jobOutput.copy(new java.io.ByteArrayInputStream("again\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        JsonNode woken = json.readTree(held.get(30, java.util.concurrent.TimeUnit.SECONDS).body());
        assertThat(woken.get("log").asText()).isEqualTo("again\n");
        assertThat(woken.get("next").asLong()).isEqualTo(18);
        // When the time is up with nothing new, the answer is empty and goes on from the same place.
        JsonNode timedOut = json.readTree(postJson(intake, "/v1/deployments/logs", "{\"hex\":\"" + query
                + "\",\"workload\":\"job\",\"epoch\":" + epoch + ",\"from\":18,\"wait\":200}").body());
        assertThat(timedOut.get("log").asText()).isEmpty();
        assertThat(timedOut.get("next").asLong()).isEqualTo(18);
        for (String wait : List.of("-1", "30001")) {
            HttpResponse<String> badWait = postJson(intake, "/v1/deployments/logs", "{\"hex\":\"" + query
                    + "\",\"workload\":\"job\",\"wait\":" + wait + "}");
            assertThat(badWait.statusCode()).isEqualTo(400);
            assertThat(json.readTree(badWait.body()).get("error").asText())
                    .isEqualTo("body: \"wait\" is " + wait + " (expected: 0..30000 milliseconds)");
        }
        HttpResponse<String> badFrom = postJson(intake, "/v1/deployments/logs", "{\"hex\":\"" + query
                + "\",\"workload\":\"job\",\"from\":\"six\"}");
        assertThat(badFrom.statusCode()).isEqualTo(400);
        assertThat(json.readTree(badFrom.body()).get("error").asText())
                .isEqualTo("body: \"from\" is \"six\" (expected: an integer, as \"next\" and \"epoch\" were answered)");
        assertThat(postJson(intake, "/v1/deployments/logs", "{\"hex\":\"" + query
                + "\",\"workload\":\"job\",\"epoch\":1.5}").statusCode()).isEqualTo(400);
        HttpResponse<String> missing = postJson(intake, "/v1/deployments/logs", "{\"hex\":\"" + query + "\",\"workload\":\"nope\"}");
        assertThat(missing.statusCode()).isEqualTo(404);
        String strangerQuery = HexFormat.of().formatHex(StatusQuery.sign(STRANGER, TestChain.CHAIN_ID, 1, 1, now).encode());
        assertThat(postJson(intake, "/v1/deployments/logs", "{\"hex\":\"" + strangerQuery + "\",\"workload\":\"job\"}")
                .statusCode()).isEqualTo(403);
    }

    @Test
    void refusesAContractForAnotherNode() throws Exception {
        assertThat(refusal(intake, SignedDeployment.sign(OWNER, TestChain.CHAIN_ID, 1, 2, DOC), 403))
                .isEqualTo("contract 2 is for node 2, not this node 1");
    }

    @Test
    void refusesADocumentWhoseHashIsNotTheContracts() throws Exception {
        assertThat(refusal(intake, SignedDeployment.sign(OWNER, TestChain.CHAIN_ID, 1, 1, OTHER_DOC), 403))
                .isEqualTo("document hash " + OTHER_DOC.hash() + " does not match contract 1's deployment hash " + DOC.hash());
    }

    @Test
    void refusesADocumentNotSignedByTheOwner() throws Exception {
        assertThat(refusal(intake, SignedDeployment.sign(STRANGER, TestChain.CHAIN_ID, 1, 1, DOC), 403))
                .isEqualTo("not signed by contract 1's owner (twin 4): signer " + STRANGER.publicKey());
    }

    @Test
    void refusesAContractThatIsNotFinal() throws Exception {
        assertThat(refusal(intake, SignedDeployment.sign(OWNER, TestChain.CHAIN_ID, 1, 99, DOC), 403))
                .matches("contract 99 is not final yet \\(not in the state of final block \\d+\\)");
    }

    @Test
    void refusesADocumentAskingMoreThanTheContractReserves() throws Exception {
        assertThat(refusal(intake, SignedDeployment.sign(OWNER, TestChain.CHAIN_ID, 1, 3, BIG_DOC), 403))
                .isEqualTo("document asks for mru " + (2 * GIB) + " > " + GIB + ", more than contract 3 reserves");
    }

    @Test
    void refusesReplaysOntoAnotherContractNodeOrChain() throws Exception {
        SignedDeployment forContract1 = SignedDeployment.sign(OWNER, TestChain.CHAIN_ID, 1, 1, DOC);
        // Contract 2 (on node 2) names the same document and has the same owner: only the signature tells them apart.
        SignedDeployment replayed = new SignedDeployment(TestChain.CHAIN_ID, 2, 2, DOC, OWNER.publicKey(), forContract1.signature());
        assertThat(refusal(otherIntake, replayed, 403))
                .isEqualTo("signature does not verify for chain " + TestChain.CHAIN_ID + ", node 2, contract 2, version 1");
        assertThat(refusal(otherIntake, forContract1, 403)).isEqualTo("signed for node 1, not this node 2");
        assertThat(refusal(intake, SignedDeployment.sign(OWNER, "other-chain", 1, 1, DOC), 403))
                .isEqualTo("signed for chain other-chain, not this chain " + TestChain.CHAIN_ID);
    }

    @Test
    void publishesItsSealingKeySignedForThisChainAndNode() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + intake.address().getPort() + "/v1/node/sealing-key");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        var body = json.readTree(r.body());
        byte[] key = HexFormat.of().parseHex(body.get("key").asText());
        byte[] signature = HexFormat.of().parseHex(body.get("signature").asText());
        assertThat(SecretSealer.verifySealingKey(NODE.publicKey(), TestChain.CHAIN_ID, 1, key, signature)).isTrue();
        // Not a key another node, or this node on another chain, could pass off.
        assertThat(SecretSealer.verifySealingKey(OTHER_NODE.publicKey(), TestChain.CHAIN_ID, 1, key, signature)).isFalse();
        assertThat(SecretSealer.verifySealingKey(NODE.publicKey(), TestChain.CHAIN_ID, 2, key, signature)).isFalse();
        assertThat(SecretSealer.verifySealingKey(NODE.publicKey(), "other-chain", 1, key, signature)).isFalse();
        // Sealed to that key, a secret opens with the node's private key in its data directory.
        var sealed = SecretSealer.seal(key, TestChain.CHAIN_ID, 1, 1, "token", new byte[] {1, 2, 3});
        assertThat(SealingKey.loadOrCreate(dir.resolve("node1").resolve("sealing.key")).open(TestChain.CHAIN_ID, 1, 1, sealed))
                .containsExactly(1, 2, 3);
    }

    @Test
    void refusesMalformedBodies() throws Exception {
        HttpResponse<String> r = post(intake, "/v1/deployments", new byte[] {1, 2, 3});
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json.readTree(r.body()).get("error").asText()).startsWith("malformed deployment: ");
    }
}
