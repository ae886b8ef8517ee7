package dev.quilt.chain;

import static dev.quilt.chain.TestGrid.FARMER;
import static dev.quilt.chain.TestGrid.USER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quilt.testkit.Await;
import dev.quilt.testkit.FreePorts;
import dev.quilt.testkit.JavaProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower of a one-validator chain's API: as a separate process that reaches the head, serves
 * proofs a light client accepts, forwards submissions and survives kill -9; and in front of a
 * tampering proxy, where it refuses the altered block.
 */
class ChainFollowerIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static ChainCluster cluster;
    static ChainHttpApi api;
    static ChainClient validator;
    static long nonce;

    @BeforeAll
    static void start() throws Exception {
        cluster = new ChainCluster(dir.resolve("chain"), List.of(TestGrid.key(501)), 0,
                Map.of(USER.publicKey(), 1_000_000L)).startAll();
        api = ChainHttpApi.start(cluster.node("v1"), new InetSocketAddress("127.0.0.1", 0));
        validator = new ChainClient(URI.create("http://127.0.0.1:" + api.address().getPort()));
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
        cluster.close();
    }

    static synchronized SignedTransaction transfer(long amount) {
        return SignedTransaction.sign(USER, TestGrid.CHAIN_ID, nonce++, Long.MAX_VALUE,
                new Transaction.Transfer(FARMER.publicKey(), amount));
    }

    static ChainClient.Receipt transferFinal(ChainClient through, long amount) throws Exception {
        return validator.awaitFinal(through.submit(transfer(amount)), TIMEOUT);
    }

    @Test
    void aFollowerProcessReachesTheHeadServesProofsForwardsAndSurvivesKillNine() throws Exception {
        Path genesisFile = dir.resolve("genesis.bin");
        Files.write(genesisFile, cluster.genesis.encode());
        Path data = dir.resolve("follower");
        int port = FreePorts.next();
        List<String> args = List.of(validator.base().toString(), genesisFile.toString(), data.toString(), String.valueOf(port));
        ChainClient follower = new ChainClient(URI.create("http://127.0.0.1:" + port));
        long expected = 0;
        try (JavaProcess first = JavaProcess.start(FollowerMain.class, args)) {
            Await.until(() -> first.output().contains("serving " + port), TIMEOUT, first::output);
            transferFinal(validator, 100);
            expected += 100;
            // A submission to the follower is forwarded upstream; its receipt then comes back through it.
            ChainClient.Receipt forwarded = transferFinal(follower, 50);
            expected += 50;
            awaitCaughtUp(follower, forwarded.height(), first);
            assertThat(follower.account(FARMER.publicKey()).balance()).isEqualTo(expected);
            assertThat(follower.receipt(forwarded.hash()).orElseThrow().isFinal()).isTrue();

            JsonNode status = status(port);
            assertThat(status.get("role").asText()).isEqualTo("follower");
            assertThat(status.get("following").asText()).isEqualTo(validator.base().toString());
            assertThat(status.get("lag").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(status.get("upstreamHeight").asLong()).isGreaterThanOrEqualTo(forwarded.height());

            // The follower's proof of the farmer's balance is accepted by a light client that followed the
            // follower's own headers from genesis.
            byte[] key = StateKeys.account(FARMER.publicKey());
            ChainClient.ProvenEntry proven = follower.proof(key);
            LightClient light = new LightClient(cluster.genesis.header(), cluster.validators());
            for (long h = 1; h <= proven.height(); h++) {
                assertThat(light.offer(follower.certified(h).orElseThrow(), Optional.empty()))
                        .isInstanceOf(LightClient.Verdict.Accepted.class);
            }
            assertThat(light.verifyEntry(light.latest(), key, proven.value().orElseThrow(), proven.proof())).isTrue();

            first.kill();
            first.awaitExit(TIMEOUT);
        }
        // Blocks go on while the follower is down; restarted on its directory it resumes and catches up.
        ChainClient.Receipt whileDown = transferFinal(validator, 25);
        expected += 25;
        try (JavaProcess second = JavaProcess.start(FollowerMain.class, args)) {
            Await.until(() -> second.output().contains("serving " + port), TIMEOUT, second::output);
            awaitCaughtUp(follower, whileDown.height(), second);
            assertThat(follower.account(FARMER.publicKey()).balance()).isEqualTo(expected);
            assertThat(follower.receipt(whileDown.hash()).orElseThrow().isFinal()).isTrue();
            assertThat(follower.certified(whileDown.height()).orElseThrow().header())
                    .isEqualTo(validator.certified(whileDown.height()).orElseThrow().header());
        }
    }

    @Test
    void aTamperedBlockIsRefusedWithItsReasonAndNotApplied() throws Exception {
        ChainClient.Receipt target = transferFinal(validator, 7);
        SignedTransaction forgedTransfer = SignedTransaction.sign(USER, TestGrid.CHAIN_ID,
                cluster.node("v1").block(target.height()).orElseThrow().transactions().getFirst().nonce(), Long.MAX_VALUE,
                new Transaction.Transfer(FARMER.publicKey(), 999_999));
        try (TamperingProxy proxy = new TamperingProxy(validator.base(), target.height(), forgedTransfer);
             ChainFollower follower = ChainFollower.start(new ChainFollower.Config(proxy.uri(), cluster.genesis,
                     dir.resolve("tampered"), Duration.ofMillis(200)))) {
            Await.until(() -> follower.lastRefusal().isPresent(), TIMEOUT, () -> "head " + follower.head().height());
            assertThat(follower.lastRefusal().get()).startsWith("block " + target.height()
                    + " does not match its certified header: transactions root ");
            assertThat(follower.head().height()).isEqualTo(target.height() - 1);
            assertThat(follower.block(target.height())).isEmpty();
            assertThat(follower.state().account(FARMER.publicKey()).balance())
                    .isLessThan(999_999);
        }
    }

    void awaitCaughtUp(ChainClient follower, long height, JavaProcess process) {
        Await.until(() -> {
            try {
                return follower.status().height() >= height;
            } catch (IOException e) {
                return false;
            }
        }, TIMEOUT, process::output);
    }

    static JsonNode status(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }
}
