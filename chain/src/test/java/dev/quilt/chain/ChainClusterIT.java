package dev.quilt.chain;

import static dev.quilt.chain.TestGrid.FARMER;
import static dev.quilt.chain.TestGrid.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real three-validator Ratis cluster plus one listener full node, in process on loopback:
 * transfers submitted through any node reach the same state on every replica, blocks become final
 * with validator signatures a light client accepts, the chain survives a closed validator, and the
 * validator catches up when it comes back, from a snapshot, because the others purged their logs.
 */
class ChainClusterIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final List<Ed25519KeyPair> VALIDATORS = List.of(TestGrid.key(401), TestGrid.key(402), TestGrid.key(403));

    @TempDir
    Path dir;
    ChainCluster cluster;
    long nonce;

    @BeforeEach
    void start() throws Exception {
        cluster = new ChainCluster(dir, VALIDATORS, 1, Map.of(USER.publicKey(), 1_000_000L)).startAll();
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    void transfer(ChainNode via, long amount) {
        SignedTransaction tx = SignedTransaction.sign(USER, TestGrid.CHAIN_ID, nonce++, Long.MAX_VALUE,
                new Transaction.Transfer(FARMER.publicKey(), amount));
        assertThat(via.submit(tx).join()).isEqualTo("queued " + BlockProducer.hashOf(tx));
    }

    void awaitBalance(long expected) {
        Await.until(() -> cluster.running.values().stream().allMatch(n -> balance(n) == expected), TIMEOUT,
                () -> cluster.running.values().stream().collect(Collectors.toMap(ChainNode::id,
                        n -> balance(n) + " at height " + n.head().height())).toString());
    }

    /** The farmer's balance on {@code node}; -1 while the node reopens its store from an installed snapshot. */
    static long balance(ChainNode node) {
        try {
            return node.state().account(FARMER.publicKey()).balance();
        } catch (IllegalStateException reopening) {
            return -1;
        }
    }

    /** Waits until every running node has block {@code height}, and checks they all hold the same header. */
    BlockHeader sameHeaderEverywhere(long height) {
        Await.until(() -> cluster.running.values().stream().allMatch(n -> n.head().height() >= height), TIMEOUT,
                () -> cluster.running.values().stream().collect(Collectors.toMap(ChainNode::id, n -> n.head().height())).toString());
        BlockHeader header = cluster.node("v1").block(height).orElseThrow().header();
        cluster.running.values().forEach(n -> assertThat(n.block(height).orElseThrow().header()).as(n.id()).isEqualTo(header));
        return header;
    }

    @Test
    void replicasAgreeBlocksBecomeFinalAndAValidatorCatchesUpAfterARestart() throws Exception {
        transfer(cluster.node("v2"), 100);
        transfer(cluster.node("full1"), 200);
        transfer(cluster.node("v3"), 300);
        awaitBalance(600);
        long height = cluster.node("full1").head().height();
        BlockHeader header = sameHeaderEverywhere(height);
        assertThat(header.stateRoot()).isEqualTo(cluster.node("full1").block(height).orElseThrow().header().stateRoot());

        // Every block up to there becomes final, and a light client starting from genesis follows them all.
        ValidatorSet validators = cluster.validators();
        Await.until(() -> cluster.node("full1").certified(height).orElseThrow().isFinal(validators), TIMEOUT,
                () -> cluster.node("full1").signatures(height).toString());
        LightClient client = new LightClient(cluster.genesis.header(), validators);
        for (long h = 1; h <= height; h++) {
            long at = h;
            Await.until(() -> cluster.node("full1").certified(at).orElseThrow().isFinal(validators), TIMEOUT, () -> "height " + at);
            assertThat(client.offer(cluster.node("full1").certified(h).orElseThrow(), Optional.empty()))
                    .as("height %d", h).isInstanceOf(LightClient.Verdict.Accepted.class);
        }
        byte[] key = StateKeys.account(FARMER.publicKey());
        LedgerState state = cluster.node("full1").state();
        BlockHeader latest = client.latest();
        // The listener's state may have moved past the last header offered; prove against the one it is at.
        if (state.stateRoot().equals(latest.stateRoot())) {
            assertThat(client.verifyEntry(latest, key, state.entry(key).orElseThrow(), state.prove(key))).isTrue();
        }

        // A forged transaction is refused before the log, with the reason.
        SignedTransaction forged = SignedTransaction.sign(USER, "another-chain", nonce, Long.MAX_VALUE,
                new Transaction.Transfer(FARMER.publicKey(), 1));
        assertThatThrownBy(() -> cluster.node("v1").submit(forged).join()).isInstanceOf(CompletionException.class)
                .hasMessageContaining("bad signature for chain " + TestGrid.CHAIN_ID);
        // A batch is admitted transaction by transaction: the forged one is left out, the others go into
        // the log, and the reply names those.
        SignedTransaction inBatch = SignedTransaction.sign(USER, TestGrid.CHAIN_ID, nonce++, Long.MAX_VALUE,
                new Transaction.Transfer(FARMER.publicKey(), 50));
        assertThat(cluster.node("v2").submitEntry(new LogEntry.Batch(List.of(forged, inBatch))).join().split("\n"))
                .containsExactly("queued " + BlockProducer.hashOf(inBatch));
        assertThatThrownBy(() -> cluster.node("v2").submitEntry(new LogEntry.Batch(List.of(forged))).join())
                .hasMessageContaining("bad signature for chain " + TestGrid.CHAIN_ID);

        // One validator down: two of three still order, cut and certify.
        long v3StoppedAt = cluster.node("v3").committedCutIndex();
        cluster.stop("v3");
        transfer(cluster.node("v1"), 400);
        awaitBalance(1050);
        long whileDown = cluster.node("v1").head().height();
        sameHeaderEverywhere(whileDown);
        Await.until(() -> cluster.node("v1").certified(whileDown).orElseThrow().isFinal(validators), TIMEOUT,
                () -> cluster.node("v1").signatures(whileDown).toString());

        // The others take snapshots and purge their logs past where v3 stopped, so v3 cannot catch up from the log.
        Await.until(() -> {
            try {
                return cluster.node("v1").logStartIndex() > v3StoppedAt + 1 && cluster.node("v2").logStartIndex() > v3StoppedAt + 1;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, TIMEOUT, () -> "v3 stopped at " + v3StoppedAt);

        // Back on its own directory, it installs a snapshot from the leader, then follows the log, and agrees again.
        cluster.start("v3");
        transfer(cluster.node("v2"), 500);
        awaitBalance(1550);
        sameHeaderEverywhere(cluster.node("v1").head().height());
        assertThat(cluster.node("v3").state().account(USER.publicKey()).nonce()).isEqualTo(6);
    }
}
