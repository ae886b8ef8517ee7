package dev.quilt.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three validators under a steady submit load; the leader is closed. Every transaction that was
 * acknowledged as final before, during or after the change is in the survivors' chain at the same
 * height in the same block, and blocks become final again under the new leader.
 */
class ChainFailoverIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** A transaction the chain reported final: where, and in which block. */
    record Acknowledged(SignedTransaction tx, long height, Hash256 blockHash) {}

    @Test
    void noFinalTransactionIsLostWhenTheLeaderDiesUnderLoad() throws Exception {
        try (ChainCluster cluster = new ChainCluster(dir, List.of(TestGrid.key(701), TestGrid.key(702), TestGrid.key(703)), 0,
                Map.of()).startAll()) {
            Await.until(() -> cluster.running.values().stream().anyMatch(ChainNode::isLeader), TIMEOUT, () -> "no leader");
            ChainNode leader = cluster.running.values().stream().filter(ChainNode::isLeader).findFirst().orElseThrow();
            List<ChainNode> survivors = cluster.running.values().stream().filter(n -> n != leader).toList();

            List<Acknowledged> acknowledged = new CopyOnWriteArrayList<>();
            Map<Hash256, SignedTransaction> inFlight = new ConcurrentHashMap<>();
            AtomicBoolean loading = new AtomicBoolean(true);
            // Each transaction makes a fresh key a twin: independent of every other, so a lost
            // submission never blocks the ones after it.
            Thread load = Thread.ofVirtual().start(() -> {
                int i = 0;
                while (loading.get()) {
                    SignedTransaction tx = SignedTransaction.sign(Ed25519KeyPair.generate(), TestGrid.CHAIN_ID, 0,
                            Long.MAX_VALUE, new Transaction.CreateTwin(Optional.empty()));
                    ChainNode via = survivors.get(i++ % survivors.size());
                    try {
                        via.submit(tx).join();
                        inFlight.put(BlockProducer.hashOf(tx), tx);
                    } catch (RuntimeException e) {
                        // refused or lost while the leader changes: never acknowledged, so never checked
                    }
                }
            });
            Thread watcher = Thread.ofVirtual().start(() -> {
                while (loading.get() || !inFlight.isEmpty()) {
                    ChainNode reader = survivors.getFirst();
                    for (var e : List.copyOf(inFlight.entrySet())) {
                        reader.inclusion(e.getKey()).filter(in -> reader.isFinal(in.height())).ifPresent(in -> {
                            acknowledged.add(new Acknowledged(e.getValue(), in.height(),
                                    reader.block(in.height()).orElseThrow().header().hash()));
                            inFlight.remove(e.getKey());
                        });
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException ex) {
                        return;
                    }
                }
            });

            Await.until(() -> acknowledged.size() >= 20, TIMEOUT, () -> acknowledged.size() + " final");
            long finalAtKill = acknowledged.stream().mapToLong(Acknowledged::height).max().orElseThrow();
            cluster.stop(leader.id());
            Await.until(() -> survivors.stream().anyMatch(ChainNode::isLeader), TIMEOUT, () -> "no new leader");
            Await.until(() -> acknowledged.stream().anyMatch(a -> a.height() > finalAtKill + 3), TIMEOUT,
                    () -> "no final block past " + finalAtKill + "; survivors at " + survivors.stream().map(n -> n.head().height()).toList());
            loading.set(false);
            load.join(TIMEOUT);
            // What is still in flight may yet become final; give it the time a few blocks take.
            Await.until(() -> inFlight.isEmpty() || survivors.getFirst().head().height() > lastHeight(acknowledged) + 10, TIMEOUT,
                    () -> inFlight.size() + " in flight");
            watcher.interrupt();
            watcher.join(TIMEOUT);

            assertThat(acknowledged.stream().filter(a -> a.height() > finalAtKill)).isNotEmpty();
            for (ChainNode survivor : survivors) {
                long head = lastHeight(acknowledged);
                Await.until(() -> survivor.head().height() >= head, TIMEOUT, () -> survivor.id() + " behind");
                List<String> lost = new ArrayList<>();
                for (Acknowledged a : acknowledged) {
                    Optional<RocksStateStore.Inclusion> in = survivor.inclusion(BlockProducer.hashOf(a.tx()));
                    boolean same = in.isPresent() && in.get().height() == a.height()
                            && survivor.block(a.height()).orElseThrow().header().hash().equals(a.blockHash())
                            && survivor.state().twinOf(a.tx().sender()).isPresent();
                    if (!same) {
                        lost.add(BlockProducer.hashOf(a.tx()) + " at " + a.height());
                    }
                }
                assertThat(lost).as("acknowledged final transactions missing on %s", survivor.id()).isEmpty();
            }
            assertThat(survivors.getFirst().block(lastHeight(acknowledged)).orElseThrow().header())
                    .isEqualTo(survivors.getLast().block(lastHeight(acknowledged)).orElseThrow().header());
        }
    }

    static long lastHeight(List<Acknowledged> acknowledged) {
        return acknowledged.stream().mapToLong(Acknowledged::height).max().orElse(0);
    }
}
