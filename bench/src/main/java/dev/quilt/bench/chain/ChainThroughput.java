package dev.quilt.bench.chain;

import dev.quilt.chain.Block;
import dev.quilt.chain.BlockProducer;
import dev.quilt.chain.ChainNode;
import dev.quilt.chain.ChainParameters;
import dev.quilt.chain.Genesis;
import dev.quilt.chain.LedgerState;
import dev.quilt.chain.PricingPolicy;
import dev.quilt.chain.SignedTransaction;
import dev.quilt.chain.Transaction;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.common.crypto.Hash256;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Three validators in one JVM, real Ratis over loopback, each with its own RocksDB directory.
 * Measured in the same run: the single-thread Ed25519 verification rate of the JDK (the ceiling a
 * validator's envelope checks put on throughput), then {@code senders} accounts each submitting
 * {@code perSender} signed transfers in nonce order, concurrently, round-robin over the validators of the
 * cluster. Reported: committed transactions per second from the first submit to the last
 * transaction's block being final, and time to finality per transaction (submit until its block
 * carries a quorum of header signatures on the observing validator), p50 and p99.
 *
 * <p>A ledger serves many accounts at once, so the load is many senders (256 by default: on two cores
 * that keeps three validators busy, and 512 only lengthens the wait), each with one transaction in
 * flight, as a wallet that waits for its receipt: a sender's next nonce is sent once the previous one
 * is final. Senders that only waited for the log would pile up transactions
 * faster than blocks can take them, and time to finality would measure the pile, not the chain.
 *
 * <p>Arguments: {@code [senders] [perSender] [verifies]} (default 256, 10, 20000).
 */
public final class ChainThroughput {
    private static final Duration BLOCK_INTERVAL = Duration.ofMillis(200);

    private ChainThroughput() {}

    public static void main(String[] args) throws Exception {
        int senders = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int perSender = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int verifies = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;

        double verifyRate = verifyRate(verifies);
        System.out.printf("ed25519 verify, 1 thread: %.0f/s (%d verifies)%n", verifyRate, verifies);

        List<Ed25519KeyPair> validators = List.of(Ed25519KeyPair.generate(), Ed25519KeyPair.generate(), Ed25519KeyPair.generate());
        List<Ed25519KeyPair> accounts = new ArrayList<>();
        TreeMap<Ed25519PublicKey, Long> allocations = new TreeMap<>();
        for (int i = 0; i < senders; i++) {
            Ed25519KeyPair k = Ed25519KeyPair.generate();
            accounts.add(k);
            allocations.put(k.publicKey(), 1_000_000_000L);
        }
        Ed25519PublicKey receiver = Ed25519KeyPair.generate().publicKey();
        long now = System.currentTimeMillis() / 1000;
        // The same parameters as quilt chain init's defaults: the transfers never touch billing or rewards.
        ChainParameters params = new ChainParameters("bench-1", 3600, 14 * 86_400, 3600, 20, 86_400, 950, 10, 50, 0,
                30 * 86_400, ChainParameters.referenceDiscounts(), validators.stream().map(Ed25519KeyPair::publicKey).sorted().toList());
        PricingPolicy policy = new PricingPolicy(1, "default", 100_000, 50_000, 15_000, 40_000, 2_500, 50);
        Genesis genesis = new Genesis(now, LedgerState.genesis(params, List.of(policy), allocations, now));

        List<ChainNode.Peer> peers = new ArrayList<>();
        for (int i = 0; i < validators.size(); i++) {
            peers.add(new ChainNode.Peer("v" + (i + 1), new InetSocketAddress("127.0.0.1", freePort()), false));
        }
        Path dir = Files.createTempDirectory("chain-throughput");
        List<ChainNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < validators.size(); i++) {
                nodes.add(ChainNode.start(new ChainNode.Config("v" + (i + 1), dir.resolve("v" + (i + 1)), peers, genesis,
                        Optional.of(validators.get(i)), BLOCK_INTERVAL, () -> System.currentTimeMillis() / 1000, 10_000)));
            }
            run(nodes, genesis, accounts, receiver, perSender, verifyRate);
        } finally {
            for (ChainNode n : nodes) {
                n.close();
            }
            deleteTree(dir);
        }
    }

    private static void run(List<ChainNode> nodes, Genesis genesis, List<Ed25519KeyPair> accounts, Ed25519PublicKey receiver,
                            int perSender, double verifyRate) throws Exception {
        ChainNode observer = nodes.get(0);
        // Wait for a leader: the first blocks are cut once Ratis has elected one.
        long start = System.nanoTime();
        while (observer.head().height() < 2) {
            if (System.nanoTime() - start > Duration.ofSeconds(60).toNanos()) {
                throw new IllegalStateException("no block after 60 s: the cluster did not elect a leader");
            }
            Thread.sleep(50);
        }
        // Signed before the clock starts: signing is the clients' cost, not the chain's.
        long expiry = observer.head().height() + 100_000;
        List<List<SignedTransaction>> perAccount = new ArrayList<>();
        for (Ed25519KeyPair a : accounts) {
            List<SignedTransaction> txs = new ArrayList<>();
            for (int n = 0; n < perSender; n++) {
                txs.add(SignedTransaction.sign(a, genesis.chainId(), n, expiry, new Transaction.Transfer(receiver, 1)));
            }
            perAccount.add(txs);
        }
        int total = accounts.size() * perSender;
        Map<Hash256, Long> submitted = new ConcurrentHashMap<>();
        Map<Hash256, Long> committedAt = new ConcurrentHashMap<>();
        Map<Hash256, CompletableFuture<Void>> finalized = new ConcurrentHashMap<>();
        Map<Long, List<Hash256>> byHeight = new ConcurrentHashMap<>();
        observer.onBlock((Block b) -> {
            List<Hash256> hashes = b.transactions().stream().map(BlockProducer::hashOf).toList();
            byHeight.put(b.header().height(), hashes);
        });
        // The chain publishes a new head before it calls block listeners, so "at or below the head and not
        // seen by the listener" does not mean "cut before the listener existed". Only blocks up to the head
        // read after registering are; every later one reaches the listener.
        long watchedAfter = observer.head().height();

        long t0 = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < accounts.size(); i++) {
                List<SignedTransaction> txs = perAccount.get(i);
                ChainNode through = nodes.get(i % nodes.size());
                running.add(pool.submit(() -> {
                    for (SignedTransaction tx : txs) {
                        Hash256 hash = BlockProducer.hashOf(tx);
                        CompletableFuture<Void> isFinal = finalized.computeIfAbsent(hash, h -> new CompletableFuture<>());
                        submitted.put(hash, System.nanoTime());
                        through.submit(tx).join();
                        // In nonce order per sender: the next one is sent once this one is final.
                        isFinal.join();
                    }
                    return null;
                }));
            }
            // Finality: poll the observer's blocks for a quorum of signatures; a block's time is when
            // the poller first sees it final, so the poll period (5 ms) bounds the error.
            long finalSeen = 0;
            int done = 0;
            while (done < total) {
                long h = finalSeen + 1;
                if (byHeight.containsKey(h) && observer.isFinal(h)) {
                    long at = System.nanoTime();
                    for (Hash256 hash : byHeight.remove(h)) {
                        if (submitted.containsKey(hash) && committedAt.putIfAbsent(hash, at) == null) {
                            finalized.computeIfAbsent(hash, x -> new CompletableFuture<>()).complete(null);
                            done++;
                        }
                    }
                    finalSeen = h;
                    continue;
                }
                for (Future<?> f : running) {
                    if (f.state() == Future.State.FAILED) {
                        throw new IllegalStateException("a sender stopped: " + f.exceptionNow(), f.exceptionNow());
                    }
                }
                if (System.nanoTime() - t0 > Duration.ofMinutes(10).toNanos()) {
                    throw new IllegalStateException("only " + done + " of " + total + " transactions final after 10 min");
                }
                if (!byHeight.containsKey(h) && h <= watchedAfter) {
                    // A block before the listener was registered: nothing of ours in it.
                    finalSeen = h;
                    continue;
                }
                Thread.sleep(5);
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] latencies = committedAt.entrySet().stream().mapToLong(e -> e.getValue() - submitted.get(e.getKey())).sorted().toArray();
        double tps = total / seconds;
        double p50 = latencies[(int) Math.floor(0.50 * (latencies.length - 1))] / 1e6;
        double p99 = latencies[(int) Math.floor(0.99 * (latencies.length - 1))] / 1e6;
        System.out.printf("3 validators, %d senders x %d transfers = %d, block interval %d ms%n", accounts.size(), perSender,
                total, BLOCK_INTERVAL.toMillis());
        System.out.printf("committed and final: %d in %.2f s = %.0f tx/s (%.1f %% of the verify rate; target >= 30 %%: %s)%n",
                total, seconds, tps, 100 * tps / verifyRate, tps >= 0.3 * verifyRate ? "met" : "not met");
        System.out.printf("time to finality: p50 %.0f ms, p99 %.0f ms (target p99 < 2000 ms: %s)%n", p50, p99,
                p99 < 2000 ? "met" : "not met");
        System.out.printf("load average after the run: %s%n", loadAverage());
    }

    /** Verifies of one message's signature by one thread, after a warm-up of the same size. */
    private static double verifyRate(int count) {
        Ed25519KeyPair key = Ed25519KeyPair.generate();
        byte[] message = new byte[200];
        Arrays.fill(message, (byte) 7);
        byte[] signature = key.sign(message);
        Ed25519PublicKey pub = key.publicKey();
        for (int i = 0; i < count; i++) {
            if (!pub.verify(message, signature)) {
                throw new IllegalStateException("signature does not verify");
            }
        }
        long t = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (!pub.verify(message, signature)) {
                throw new IllegalStateException("signature does not verify");
            }
        }
        return count / ((System.nanoTime() - t) / 1e9);
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
