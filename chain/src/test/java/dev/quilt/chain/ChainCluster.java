package dev.quilt.chain;

import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.testkit.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Real in-process chain nodes on loopback, each with its own data directory and port: validators
 * v1..vN (voting Ratis peers) and full nodes (Ratis listeners). Nodes can be closed and started
 * again on the same directory, as a restarted machine would be.
 */
final class ChainCluster implements AutoCloseable {
    static final Duration BLOCK_INTERVAL = Duration.ofMillis(200);
    /** Small, so that a validator down for a few seconds finds the log purged and needs a snapshot. */
    static final long SNAPSHOT_EVERY = 20;

    final Genesis genesis;
    final List<Ed25519KeyPair> validatorKeys;
    final List<ChainNode.Peer> peers = new ArrayList<>();
    final Map<String, ChainNode> running = new LinkedHashMap<>();
    private final Path dir;

    ChainCluster(Path dir, List<Ed25519KeyPair> validatorKeys, int listeners, Map<Ed25519PublicKey, Long> allocations) {
        this(dir, validatorKeys, listeners, allocations, TestGrid.params(0, validatorKeys));
    }

    ChainCluster(Path dir, List<Ed25519KeyPair> validatorKeys, int listeners, Map<Ed25519PublicKey, Long> allocations,
                 ChainParameters params) {
        this.dir = dir;
        this.validatorKeys = validatorKeys;
        long now = System.currentTimeMillis() / 1000;
        this.genesis = new Genesis(now, LedgerState.genesis(params, List.of(TestGrid.POLICY), allocations, now));
        for (int i = 0; i < validatorKeys.size(); i++) {
            peers.add(new ChainNode.Peer("v" + (i + 1), new InetSocketAddress("127.0.0.1", FreePorts.next()), false));
        }
        for (int i = 0; i < listeners; i++) {
            peers.add(new ChainNode.Peer("full" + (i + 1), new InetSocketAddress("127.0.0.1", FreePorts.next()), true));
        }
    }

    ChainNode start(String id) throws IOException {
        int index = peers.stream().map(ChainNode.Peer::id).toList().indexOf(id);
        Optional<Ed25519KeyPair> key = index < validatorKeys.size() ? Optional.of(validatorKeys.get(index)) : Optional.empty();
        ChainNode node = ChainNode.start(new ChainNode.Config(id, dir.resolve(id), peers, genesis, key, BLOCK_INTERVAL,
                () -> System.currentTimeMillis() / 1000, SNAPSHOT_EVERY));
        running.put(id, node);
        return node;
    }

    ChainCluster startAll() throws IOException {
        for (ChainNode.Peer p : peers) {
            start(p.id());
        }
        return this;
    }

    ChainNode node(String id) {
        return running.get(id);
    }

    void stop(String id) throws IOException {
        running.remove(id).close();
    }

    ValidatorSet validators() {
        return ValidatorSet.of(genesis.state().params());
    }

    @Override
    public void close() throws IOException {
        for (ChainNode node : List.copyOf(running.values())) {
            node.close();
        }
        running.clear();
    }
}
