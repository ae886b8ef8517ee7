package dev.quilt.node;

import dev.quilt.chain.ChainClient;
import dev.quilt.chain.ChainHttpApi;
import dev.quilt.chain.ChainNode;
import dev.quilt.chain.ChainParameters;
import dev.quilt.chain.Genesis;
import dev.quilt.chain.LedgerState;
import dev.quilt.chain.PricingPolicy;
import dev.quilt.chain.SignedTransaction;
import dev.quilt.chain.Transaction;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.testkit.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** A real one-validator chain (Ratis, RocksDB, HTTP API) on loopback, and a client that signs and waits for finality. */
final class TestChain implements AutoCloseable {
    static final String CHAIN_ID = "quilt-node-test";
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final Ed25519KeyPair VALIDATOR = Documents.key(501);

    final Genesis genesis;
    final ChainNode node;
    final ChainHttpApi api;
    final ChainClient client;

    TestChain(Path dir, List<Ed25519KeyPair> funded) throws IOException {
        this(dir, funded, 3600, 14 * 86_400, 3600);
    }

    /**
     * With these billing and grace periods and uptime window (seconds): a few seconds each let a test
     * watch a contract be billed, fall into its grace period and be resumed or deleted.
     */
    TestChain(Path dir, List<Ed25519KeyPair> funded, long billingSeconds, long graceSeconds, long uptimeWindowSeconds)
            throws IOException {
        ChainParameters params = new ChainParameters(CHAIN_ID, billingSeconds, graceSeconds, uptimeWindowSeconds, 20, 86_400,
                950, 10, 50, 0, 30 * 86_400, ChainParameters.referenceDiscounts(), List.of(VALIDATOR.publicKey()));
        long now = System.currentTimeMillis() / 1000;
        Map<Ed25519PublicKey, Long> allocations = funded.stream()
                .collect(Collectors.toMap(Ed25519KeyPair::publicKey, k -> 1_000_000_000L));
        genesis = new Genesis(now, LedgerState.genesis(params,
                List.of(new PricingPolicy(1, "default", 100_000, 50_000, 15_000, 40_000, 2_500, 50)), allocations, now));
        List<ChainNode.Peer> peers = List.of(new ChainNode.Peer("v1", new InetSocketAddress("127.0.0.1", FreePorts.next()), false));
        node = ChainNode.start(new ChainNode.Config("v1", dir.resolve("v1"), peers, genesis, Optional.of(VALIDATOR),
                Duration.ofMillis(200), () -> System.currentTimeMillis() / 1000, ChainNode.Config.DEFAULT_SNAPSHOT_EVERY));
        api = ChainHttpApi.start(node, new InetSocketAddress("127.0.0.1", 0));
        client = new ChainClient(URI.create("http://127.0.0.1:" + api.address().getPort()));
    }

    /** Signs with the sender's next nonce, submits, waits until final; fails on a refusal. */
    void submit(Ed25519KeyPair sender, Transaction payload) throws Exception {
        long nonce = client.account(sender.publicKey()).nonce();
        SignedTransaction tx = SignedTransaction.sign(sender, CHAIN_ID, nonce, Long.MAX_VALUE, payload);
        ChainClient.Receipt receipt = client.awaitFinal(client.submit(tx), TIMEOUT);
        if (receipt.refusal().isPresent()) {
            throw new AssertionError(payload + " refused: " + receipt.refusal().get());
        }
    }

    @Override
    public void close() throws IOException {
        api.close();
        node.close();
    }
}
