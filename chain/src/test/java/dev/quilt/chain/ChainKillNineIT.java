package dev.quilt.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.testkit.Await;
import dev.quilt.testkit.FreePorts;
import dev.quilt.testkit.JavaProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three validators, each its own JVM process with its own data directory, under a submit load
 * through their HTTP APIs; the leader's process is killed with {@code kill -9}. Every transaction
 * a client saw final, before or after the kill, is on both survivors in the same block at the same
 * position with the same outcome; the survivors go on making final blocks; and the killed
 * validator, started again on its data directory, reaches the same headers, state root included.
 */
class ChainKillNineIT {
    /** Generous: three JVMs and their Ratis elections share a small, busy machine. */
    static final Duration TIMEOUT = Duration.ofMinutes(3);
    static final int LOAD_THREADS = 4;

    @TempDir
    Path dir;

    /** A transaction a client saw in a final block: where, with which outcome, in which block. */
    record Acknowledged(Hash256 hash, long height, int position, Optional<String> refusal, Hash256 blockHash) {}

    /** One validator process: its key, ports and data directory survive a restart. */
    final class Validator implements AutoCloseable {
        final String id;
        final int keyNumber;
        final int raftPort = FreePorts.next();
        final int apiPort = FreePorts.next();
        final ChainClient client;
        volatile JavaProcess process;

        Validator(String id, int keyNumber) {
            this.id = id;
            this.keyNumber = keyNumber;
            this.client = new ChainClient(URI.create("http://127.0.0.1:" + apiPort));
        }

        void start(Path genesisFile, List<Validator> all) {
            List<String> args = new ArrayList<>(List.of(genesisFile.toString(), id, String.valueOf(keyNumber),
                    dir.resolve(id).toString(), String.valueOf(apiPort)));
            all.forEach(v -> args.add(v.id + "=127.0.0.1:" + v.raftPort));
            process = JavaProcess.start(ValidatorMain.class, List.of("-Xmx256m"), args);
        }

        void awaitServing() {
            Await.until(() -> process.output().contains("serving " + apiPort), TIMEOUT, process::output);
        }

        /** What the process last printed about its role; it prints every change. */
        boolean isLeader() {
            String out = process.output();
            return process.isAlive() && out.lastIndexOf("role leader") > out.lastIndexOf("role follower");
        }

        long height() {
            try {
                return client.status().height();
            } catch (IOException e) {
                return -1;
            }
        }

        @Override
        public void close() {
            if (process != null) {
                process.close();
            }
        }
    }

    @Test
    void killingTheLeaderProcessLosesNoFinalTransactionAndItCatchesUpOnRestart() throws Exception {
        List<Ed25519KeyPair> keys = List.of(TestGrid.key(801), TestGrid.key(802), TestGrid.key(803));
        long now = System.currentTimeMillis() / 1000;
        Genesis genesis = new Genesis(now, LedgerState.genesis(TestGrid.params(0, keys), List.of(TestGrid.POLICY), Map.of(), now));
        Path genesisFile = dir.resolve("genesis.bin");
        Files.write(genesisFile, genesis.encode());
        List<Validator> validators = List.of(new Validator("v1", 801), new Validator("v2", 802), new Validator("v3", 803));
        List<Thread> threads = new ArrayList<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        try {
            validators.forEach(v -> v.start(genesisFile, validators));
            validators.forEach(Validator::awaitServing);
            Await.until(() -> validators.stream().anyMatch(Validator::isLeader), TIMEOUT, () -> "no leader");

            Map<Hash256, SignedTransaction> inFlight = new ConcurrentHashMap<>();
            List<Acknowledged> acknowledged = new CopyOnWriteArrayList<>();
            AtomicInteger refused = new AtomicInteger();
            // Independent transactions, so a submission lost with the leader blocks none after it: each
            // from a fresh key, half making it a twin (accepted), half a transfer it cannot pay (refused
            // with its reason). Both are outcomes the survivors must agree on.
            for (int t = 0; t < LOAD_THREADS; t++) {
                int thread = t;
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int i = thread; loading.get(); i += LOAD_THREADS) {
                        Ed25519KeyPair sender = Ed25519KeyPair.generate();
                        Transaction payload = i % 2 == 0 ? new Transaction.CreateTwin(Optional.empty())
                                : new Transaction.Transfer(TestGrid.FARMER.publicKey(), 1);
                        SignedTransaction tx = SignedTransaction.sign(sender, TestGrid.CHAIN_ID, 0, Long.MAX_VALUE, payload);
                        Validator via = validators.get(i % validators.size());
                        try {
                            inFlight.put(via.client.submit(tx), tx);
                        } catch (IOException e) {
                            // refused or lost with the leader: never acknowledged, so never checked
                            refused.incrementAndGet();
                        }
                    }
                }));
            }
            // Acknowledgements are read from a validator that is not about to be killed.
            AtomicReference<Validator> reader = new AtomicReference<>(validators.stream().filter(v -> !v.isLeader())
                    .findFirst().orElseThrow());
            threads.add(Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    for (Hash256 hash : List.copyOf(inFlight.keySet())) {
                        try {
                            ChainClient client = reader.get().client;
                            Optional<ChainClient.Receipt> r = client.receipt(hash);
                            if (r.isPresent() && r.get().isFinal()) {
                                Hash256 block = client.certified(r.get().height()).orElseThrow().header().hash();
                                acknowledged.add(new Acknowledged(hash, r.get().height(), r.get().position(), r.get().refusal(), block));
                                inFlight.remove(hash);
                            }
                        } catch (IOException e) {
                            // the reader is busy or restarting its connection; the next round asks again
                        }
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));

            Await.until(() -> acknowledged.size() >= 30, TIMEOUT, () -> acknowledged.size() + " final, " + refused + " refused");
            Await.until(() -> validators.stream().anyMatch(Validator::isLeader), TIMEOUT, () -> "no leader");
            Validator killed = validators.stream().filter(Validator::isLeader).findFirst().orElseThrow();
            List<Validator> survivors = validators.stream().filter(v -> v != killed).toList();
            // The leader may have changed since the reader was picked; the reader is never the one killed.
            reader.set(survivors.getFirst());
            long finalAtKill = lastHeight(acknowledged);
            killed.process.kill();

            Await.until(() -> survivors.stream().anyMatch(Validator::isLeader), TIMEOUT, () -> "no new leader");
            Await.until(() -> acknowledged.stream().anyMatch(a -> a.height() > finalAtKill + 3), TIMEOUT,
                    () -> "no final block past " + finalAtKill + "; survivors at " + survivors.stream().map(Validator::height).toList());
            loading.set(false);
            for (Thread t : threads.subList(0, LOAD_THREADS)) {
                t.join(TIMEOUT);
            }
            // What is still in flight may yet become final; give it the time a few blocks take.
            long lastBeforeDrain = lastHeight(acknowledged);
            Await.until(() -> inFlight.isEmpty() || reader.get().height() > lastBeforeDrain + 10, TIMEOUT,
                    () -> inFlight.size() + " in flight");
            threads.getLast().interrupt();
            threads.getLast().join(TIMEOUT);

            assertThat(acknowledged.stream().filter(a -> a.height() <= finalAtKill)).isNotEmpty();
            assertThat(acknowledged.stream().filter(a -> a.height() > finalAtKill)).isNotEmpty();
            assertThat(acknowledged.stream().filter(a -> a.refusal().isPresent())).isNotEmpty();
            assertThat(acknowledged.stream().filter(a -> a.refusal().isEmpty())).isNotEmpty();
            long last = lastHeight(acknowledged);
            for (Validator survivor : survivors) {
                assertAllAcknowledged(survivor, acknowledged, last);
            }

            // The killed validator, started again on its data directory, catches up with the others.
            killed.start(genesisFile, validators);
            killed.awaitServing();
            long target = survivors.stream().mapToLong(Validator::height).max().orElseThrow();
            Await.until(() -> killed.height() >= target, TIMEOUT,
                    () -> killed.id + " at " + killed.height() + " of " + target + "; " + killed.process.output());
            BlockHeader expected = read(() -> survivors.getFirst().client.certified(target).orElseThrow().header());
            for (Validator v : validators) {
                Await.until(() -> v.height() >= target, TIMEOUT, () -> v.id + " at " + v.height());
                BlockHeader header = read(() -> v.client.certified(target).orElseThrow().header());
                assertThat(header.stateRoot()).as("state root at %d on %s", target, v.id).isEqualTo(expected.stateRoot());
                assertThat(header).as("header %d on %s", target, v.id).isEqualTo(expected);
            }
            assertAllAcknowledged(killed, acknowledged, last);
            // And the chain goes on with all three.
            Await.until(() -> validators.stream().allMatch(v -> v.height() > target + 3), TIMEOUT,
                    () -> "heights " + validators.stream().map(Validator::height).toList());
        } finally {
            loading.set(false);
            threads.forEach(Thread::interrupt);
            validators.forEach(Validator::close);
        }
    }

    /** Every acknowledged transaction is in {@code v}'s chain, final, where and as it was acknowledged. */
    static void assertAllAcknowledged(Validator v, List<Acknowledged> acknowledged, long last) {
        Await.until(() -> v.height() >= last, TIMEOUT, () -> v.id + " at " + v.height() + " of " + last);
        List<String> lost = read(() -> {
            List<String> missing = new ArrayList<>();
            for (Acknowledged a : acknowledged) {
                Optional<ChainClient.Receipt> r = v.client.receipt(a.hash());
                boolean same = r.isPresent() && r.get().isFinal() && r.get().height() == a.height()
                        && r.get().position() == a.position() && r.get().refusal().equals(a.refusal())
                        && v.client.certified(a.height()).orElseThrow().header().hash().equals(a.blockHash());
                if (!same) {
                    missing.add(a + " found as " + r);
                }
            }
            return missing;
        });
        assertThat(lost).as("acknowledged final transactions missing or different on %s", v.id).isEmpty();
    }

    interface Read<T> {
        T get() throws IOException;
    }

    /**
     * A read from a validator's API, asked again while it fails: a validator that installs a snapshot
     * answers 500 while it reopens its store.
     */
    static <T> T read(Read<T> read) {
        AtomicReference<T> value = new AtomicReference<>();
        AtomicReference<String> failure = new AtomicReference<>("none");
        Await.until(() -> {
            try {
                value.set(read.get());
                return true;
            } catch (IOException e) {
                failure.set(e.getMessage());
                return false;
            }
        }, TIMEOUT, () -> "last failure: " + failure.get());
        return value.get();
    }

    static long lastHeight(List<Acknowledged> acknowledged) {
        return acknowledged.stream().mapToLong(Acknowledged::height).max().orElse(0);
    }
}
