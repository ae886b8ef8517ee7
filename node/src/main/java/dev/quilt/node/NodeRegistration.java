package dev.quilt.node;

import dev.quilt.chain.ChainClient;
import dev.quilt.chain.Genesis;
import dev.quilt.chain.Location;
import dev.quilt.chain.Node;
import dev.quilt.chain.Resources;
import dev.quilt.chain.SignedTransaction;
import dev.quilt.chain.StateKeys;
import dev.quilt.chain.Transaction;
import dev.quilt.chain.Twin;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Registers the node on the ledger and keeps its capacity current: a twin for the node's key
 * (once), a node under the farm (once), then {@code UpdateNode} when the measured capacity or the
 * endpoint changed. The node's id is found in final state (each node entry proven, not taken from
 * the API's word) and remembered in {@code <data>/node.id}.
 */
public final class NodeRegistration {
    private static final Duration FINAL = Duration.ofSeconds(120);
    private static final long VALIDITY_BLOCKS = 100;

    private NodeRegistration() {}

    /** The node's id, registering the twin and the node first if needed. */
    public static long register(ChainClient chain, Genesis genesis, Ed25519KeyPair key, long farmId, Resources capacity,
                                Location location, String endpoint, Path data) throws IOException, InterruptedException {
        Path idFile = Files.createDirectories(data).resolve("node.id");
        FinalState state = new FinalState(chain, genesis, Duration.ofSeconds(30));
        Optional<Node> node = Optional.empty();
        if (Files.exists(idFile)) {
            long id = Long.parseLong(Files.readString(idFile).strip());
            node = state.entry(StateKeys.node(id)).value().map(Node::decodeEntry);
        }
        if (node.isEmpty()) {
            node = findOwn(state, key);
        }
        if (node.isEmpty()) {
            if (findTwin(state, key).isEmpty()) {
                submit(chain, genesis, key, new Transaction.CreateTwin(Optional.empty()));
            }
            submit(chain, genesis, key, new Transaction.RegisterNode(farmId, capacity, location, endpoint));
            node = findOwn(state, key);
            if (node.isEmpty()) {
                throw new IOException("node registered, but not found in final state");
            }
        } else if (!node.get().capacity().equals(capacity) || !node.get().endpoint().equals(endpoint)) {
            submit(chain, genesis, key, new Transaction.UpdateNode(node.get().id(), capacity, location, endpoint));
        }
        AtomicFiles.write(idFile, (node.get().id() + "\n").getBytes(StandardCharsets.US_ASCII));
        return node.get().id();
    }

    /** Signs with the next nonce, submits, waits until final; a refusal is an {@link IOException} with its reason. */
    static void submit(ChainClient chain, Genesis genesis, Ed25519KeyPair key, Transaction payload)
            throws IOException, InterruptedException {
        long nonce = chain.account(key.publicKey()).nonce();
        long height = chain.status().height();
        SignedTransaction tx = SignedTransaction.sign(key, genesis.chainId(), nonce, height + VALIDITY_BLOCKS, payload);
        ChainClient.Receipt receipt = chain.awaitFinal(chain.submit(tx), FINAL);
        if (receipt.refusal().isPresent()) {
            throw new IOException(payload.getClass().getSimpleName() + " refused: " + receipt.refusal().get());
        }
    }

    /** Scans twin entries in final state for the key's twin (a registration-time, one-off cost). */
    private static Optional<Twin> findTwin(FinalState state, Ed25519KeyPair key) throws IOException, InterruptedException {
        for (long id = 1; ; id++) {
            Optional<Twin> twin = state.entry(StateKeys.twin(id)).value().map(Twin::decodeEntry);
            if (twin.isEmpty()) {
                return Optional.empty();
            }
            if (twin.get().account().equals(key.publicKey())) {
                return twin;
            }
        }
    }

    private static Optional<Node> findOwn(FinalState state, Ed25519KeyPair key) throws IOException, InterruptedException {
        Optional<Twin> twin = findTwin(state, key);
        if (twin.isEmpty()) {
            return Optional.empty();
        }
        for (long id = 1; ; id++) {
            Optional<Node> node = state.entry(StateKeys.node(id)).value().map(Node::decodeEntry);
            if (node.isEmpty()) {
                return Optional.empty();
            }
            if (node.get().twinId() == twin.get().id()) {
                return node;
            }
        }
    }
}
