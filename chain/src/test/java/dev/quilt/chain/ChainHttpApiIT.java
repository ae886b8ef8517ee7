package dev.quilt.chain;

import static dev.quilt.chain.TestGrid.FARMER;
import static dev.quilt.chain.TestGrid.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.metrics.MetricsRegistry;
import dev.quilt.testkit.Await;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API of a one-validator chain, over real sockets. */
class ChainHttpApiIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    ChainCluster cluster;
    ChainHttpApi api;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    long nonce;

    @BeforeEach
    void start() throws Exception {
        cluster = new ChainCluster(dir, List.of(TestGrid.key(501)), 0, Map.of(USER.publicKey(), 1_000_000L)).startAll();
        api = ChainHttpApi.start(cluster.node("v1"), new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
        cluster.close();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + api.address().getPort() + path);
    }

    SignedTransaction sign(Transaction payload) {
        return SignedTransaction.sign(USER, TestGrid.CHAIN_ID, nonce++, Long.MAX_VALUE, payload);
    }

    /** The real node, except that every submission is refused as when too much waits for its log. */
    static ChainSource busy(ChainNode node, java.util.concurrent.atomic.AtomicInteger submissions) {
        return (ChainSource) java.lang.reflect.Proxy.newProxyInstance(ChainSource.class.getClassLoader(),
                new Class<?>[] {ChainSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("submit")) {
                        submissions.incrementAndGet();
                        return java.util.concurrent.CompletableFuture.failedFuture(
                                new NodeBusyException("the node has 16384 transactions waiting for the log"));
                    }
                    try {
                        return method.invoke(node, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aBusyNodeAnswers503WithRetryAfterAndTheClientTriesAgainBeforeGivingUp() throws Exception {
        java.util.concurrent.atomic.AtomicInteger submissions = new java.util.concurrent.atomic.AtomicInteger();
        try (ChainHttpApi busyApi = ChainHttpApi.serve(busy(cluster.node("v1"), submissions),
                new InetSocketAddress("127.0.0.1", 0))) {
            URI base = URI.create("http://127.0.0.1:" + busyApi.address().getPort() + "/");
            SignedTransaction tx = sign(new Transaction.Faucet(1));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("v1/transactions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"hex\":\"" + HexFormat.of().formatHex(tx.encode()) + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).contains("1");
            assertThat(json.readTree(r.body()).get("error").asText()).isEqualTo("the node has 16384 transactions waiting for the log");

            submissions.set(0);
            assertThatThrownBy(() -> new ChainClient(base).submit(tx))
                    .isInstanceOfSatisfying(ChainClient.ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
            assertThat(submissions.get()).isEqualTo(ChainClient.SUBMIT_TRIES);
        }
    }

    @Test
    void submitsTransactionsAndServesReceiptsEntitiesBlocksProofsAndAStream() throws Exception {
        SignedTransaction transfer = sign(new Transaction.Transfer(FARMER.publicKey(), 250));
        HttpResponse<String> submitted = post("/v1/transactions", "{\"hex\":\"" + HexFormat.of().formatHex(transfer.encode()) + "\"}");
        assertThat(submitted.statusCode()).isEqualTo(202);
        String hash = BlockProducer.hashOf(transfer).toString();
        assertThat(json.readTree(submitted.body()).get("hash").asText()).isEqualTo(hash);
        SignedTransaction twin = sign(new Transaction.CreateTwin(Optional.empty()));
        assertThat(post("/v1/transactions", "{\"base64\":\"" + java.util.Base64.getEncoder().encodeToString(twin.encode()) + "\"}")
                .statusCode()).isEqualTo(202);

        Await.until(() -> {
            try {
                HttpResponse<String> r = get("/v1/transactions/" + hash);
                return r.statusCode() == 200 && json.readTree(r.body()).get("final").asBoolean();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, TIMEOUT, () -> "receipt of " + hash);
        JsonNode receipt = json.readTree(get("/v1/transactions/" + hash).body());
        assertThat(receipt.get("outcome").get("type").asText()).isEqualTo("Accepted");
        long height = receipt.get("height").asLong();

        JsonNode account = json.readTree(get("/v1/accounts/" + FARMER.publicKey().hex()).body());
        assertThat(account.get("balance").asLong()).isEqualTo(250);

        HttpResponse<String> blockResponse = get("/v1/blocks/" + height);
        assertThat(blockResponse.statusCode()).as(blockResponse.body()).isEqualTo(200);
        JsonNode block = json.readTree(blockResponse.body());
        assertThat(block.get("final").asBoolean()).isTrue();
        assertThat(block.get("transactions").get(0).get("hash").asText()).isEqualTo(hash);
        assertThat(block.get("transactions").get(0).get("payload").get("type").asText()).isEqualTo("Transfer");
        assertThat(block.get("signatures")).hasSize(1);

        // A proof from the API checks out against the header a light client accepted.
        Await.until(() -> cluster.node("v1").isFinal(cluster.node("v1").head().height()), TIMEOUT, () -> "final head");
        byte[] key = StateKeys.account(FARMER.publicKey());
        JsonNode proof = json.readTree(get("/v1/proofs/" + HexFormat.of().formatHex(key)).body());
        long provenAt = proof.get("height").asLong();
        LightClient client = new LightClient(cluster.genesis.header(), cluster.validators());
        for (long h = 1; h <= provenAt; h++) {
            long at = h;
            Await.until(() -> cluster.node("v1").isFinal(at), TIMEOUT, () -> "final " + at);
            assertThat(client.offer(cluster.node("v1").certified(h).orElseThrow(), Optional.empty()))
                    .isInstanceOf(LightClient.Verdict.Accepted.class);
        }
        List<Hash256> siblings = new ArrayList<>();
        proof.get("proof").get("siblings").forEach(s -> siblings.add(Hash256.fromHex(s.asText())));
        JsonNode leaf = proof.get("proof").get("leaf");
        MerkleProof parsed = new MerkleProof(siblings, Optional.of(new MerkleProof.Leaf(
                Hash256.fromHex(leaf.get("keyHash").asText()), Hash256.fromHex(leaf.get("valueHash").asText()))));
        assertThat(client.verifyEntry(client.latest(), key, HexFormat.of().parseHex(proof.get("value").asText()), parsed)).isTrue();

        JsonNode contracts = json.readTree(get("/v1/contracts?twin=1&state=created").body());
        assertThat(contracts).isEmpty();
        assertThat(json.readTree(get("/v1/nodes?country=BE&status=up&minFreeCru=1").body())).isEmpty();

        // The stream starts at a given height and carries final blocks in order.
        HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(uri("/v1/stream?from=" + height)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body()))) {
            assertThat(lines.readLine()).isEqualTo("id: " + height);
            assertThat(lines.readLine()).isEqualTo("event: block");
            assertThat(json.readTree(lines.readLine().substring("data: ".length())).get("header").get("height").asLong())
                    .isEqualTo(height);
        }

        MetricsRegistry metrics = new MetricsRegistry();
        ChainMetrics.register(cluster.node("v1"), metrics);
        assertThat(metrics.render()).contains("quilt_chain_height ").contains("quilt_chain_finality_lag_blocks ");
    }

    @Test
    void snapshotRecordsAreListedFilteredAndProvenThroughTheClient() throws Exception {
        ChainClient client = new ChainClient(uri(""));
        Hash256 m1 = SnapshotRecordTest.M1;
        Hash256 m2 = SnapshotRecordTest.M2;
        client.submit(sign(new Transaction.CreateTwin(Optional.empty())));
        client.submit(sign(SnapshotRecordTest.publish("media", m1, 1000)));
        Hash256 last = client.submit(sign(new Transaction.PublishSnapshot("media", m2, 2000, Optional.of("quilt-main"),
                Optional.of(12L))));
        SignedTransaction twin = SignedTransaction.sign(FARMER, TestGrid.CHAIN_ID, 0, Long.MAX_VALUE,
                new Transaction.CreateTwin(Optional.empty()));
        SignedTransaction taken = SignedTransaction.sign(FARMER, TestGrid.CHAIN_ID, 1, Long.MAX_VALUE,
                SnapshotRecordTest.publish("media", SnapshotRecordTest.sha("other"), 1));
        client.submit(twin);
        Hash256 refused = client.submit(taken);
        assertThat(client.awaitFinal(last, TIMEOUT).refusal()).isEmpty();
        assertThat(client.awaitFinal(refused, TIMEOUT).refusal()).contains("snapshot name 'media' belongs to twin 1");

        List<Snapshot> all = client.snapshots(Optional.empty(), java.util.OptionalLong.empty());
        assertThat(all).hasSize(1);
        Snapshot media = all.getFirst();
        assertThat(media.publisherTwin()).isEqualTo(1);
        assertThat(media.versions()).extracting(Snapshot.Version::manifestHash).containsExactly(m1, m2);
        assertThat(media.latest().sourceChain()).contains("quilt-main");
        assertThat(client.snapshot("media")).contains(media);
        assertThat(client.snapshot("nothing")).isEmpty();
        assertThat(client.snapshots(Optional.empty(), java.util.OptionalLong.of(2))).isEmpty();
        assertThat(json.readTree(get("/v1/snapshots?publisher=" + USER.publicKey().hex()).body())).hasSize(1);
        assertThat(get("/v1/snapshots?publisher=x").body()).isEqualTo("{\"error\":\"publisher: x (expected: an integer)\"}");

        // The proven entry is what a light client believes: present, and an unknown name absent.
        ChainClient.ProvenEntry proven = client.snapshotProof("media");
        LightClient light = follow(client, proven.height());
        assertThat(light.verifyEntry(light.latest(), proven.key(), proven.value().orElseThrow(), proven.proof())).isTrue();
        assertThat(Snapshot.decodeEntry(proven.value().get())).isEqualTo(media);
        ChainClient.ProvenEntry none = client.snapshotProof("nothing");
        LightClient light2 = follow(client, none.height());
        assertThat(none.value()).isEmpty();
        assertThat(light2.verifyAbsence(light2.latest(), none.key(), none.proof())).isTrue();
    }

    @Test
    void pricingPoliciesAndParametersAreServedAsTheLedgerHoldsThem() throws Exception {
        ChainClient client = new ChainClient(uri(""));
        assertThat(client.pricingPolicies()).containsExactly(Map.entry(1L, TestGrid.POLICY));
        assertThat(client.pricingPolicy(1)).contains(TestGrid.POLICY);
        assertThat(client.pricingPolicy(2)).isEmpty();
        JsonNode policy = json.readTree(get("/v1/pricing-policies/1").body());
        assertThat(policy.get("cuPerHour").asLong()).isEqualTo(TestGrid.POLICY.cuPerHour());
        assertThat(policy.get("suPerHour").asLong()).isEqualTo(TestGrid.POLICY.suPerHour());
        assertThat(get("/v1/pricing-policies/2").body()).isEqualTo("{\"error\":\"no pricing policy 2\"}");
        assertThat(get("/v1/pricing-policies/x").body()).isEqualTo("{\"error\":\"pricing policy id: x (expected: an integer)\"}");

        ChainParameters params = client.parameters();
        assertThat(params).isEqualTo(cluster.node("v1").state().params());
        JsonNode raw = json.readTree(get("/v1/parameters").body());
        assertThat(raw.get("uptimeWindowSeconds").asLong()).isEqualTo(params.uptimeWindowSeconds());
        assertThat(raw.get("billingPeriodSeconds").asLong()).isEqualTo(params.billingPeriodSeconds());
        assertThat(raw.get("gracePeriodSeconds").asLong()).isEqualTo(params.gracePeriodSeconds());
        assertThat(raw.get("validators").get(0).asText()).isEqualTo(TestGrid.key(501).publicKey().hex());
        assertThat(post("/v1/parameters", "{}").statusCode()).isEqualTo(405);
    }

    /** A light client from genesis that accepted every header up to {@code height}. */
    LightClient follow(ChainClient client, long height) throws Exception {
        LightClient light = new LightClient(cluster.genesis.header(), cluster.validators());
        for (long h = 1; h <= height; h++) {
            long at = h;
            Await.until(() -> cluster.node("v1").isFinal(at), TIMEOUT, () -> "final " + at);
            assertThat(light.offer(client.certified(h).orElseThrow(), Optional.empty()))
                    .isInstanceOf(LightClient.Verdict.Accepted.class);
        }
        return light;
    }

    @Test
    void errorsNameTheRefusedCondition() throws Exception {
        SignedTransaction other = SignedTransaction.sign(USER, "another-chain", 0, Long.MAX_VALUE,
                new Transaction.Transfer(FARMER.publicKey(), 1));
        assertThat(post("/v1/transactions", "{\"hex\":\"" + HexFormat.of().formatHex(other.encode()) + "\"}").body())
                .isEqualTo("{\"error\":\"bad signature for chain " + TestGrid.CHAIN_ID + "\"}");
        assertThat(post("/v1/transactions", "{\"hex\":\"0102\"}").body()).startsWith("{\"error\":\"malformed transaction: ");
        assertThat(post("/v1/transactions", "{}").body())
                .isEqualTo("{\"error\":\"body: no transaction (expected: {\\\"hex\\\": ...} or {\\\"base64\\\": ...})\"}");
        HttpResponse<String> badFilter = get("/v1/contracts?state=paused");
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(badFilter.body()).isEqualTo("{\"error\":\"state: paused (expected: created, grace or deleted)\"}");
        assertThat(get("/v1/blocks/999999").body()).isEqualTo("{\"error\":\"block 999999 is not committed (yet)\"}");
        assertThat(get("/v1/nope").statusCode()).isEqualTo(404);
    }
}
