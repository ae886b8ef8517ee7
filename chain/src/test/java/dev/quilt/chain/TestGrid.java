package dev.quilt.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A ledger driven block by block for tests: keys from fixed seeds, transactions signed with the
 * sender's current nonce, block hashes derived from the height, and time advanced by hand. The
 * state's invariants are checked after every transaction and every block end.
 */
final class TestGrid {
    static final String CHAIN_ID = "quilt-test";
    static final long T0 = 1_800_000_000L; // a multiple of 3600, so windows and periods start on it
    static final long GIB = Resources.GIB;
    static final PricingPolicy POLICY = new PricingPolicy(1, "default", 100_000, 50_000, 15_000, 40_000, 2_500, 50);

    static final Ed25519KeyPair V1 = key(201);
    static final Ed25519KeyPair V2 = key(202);
    static final Ed25519KeyPair V3 = key(203);

    LedgerState state;
    long height = 1;
    long time = T0;
    final List<Event> blockEvents = new ArrayList<>();

    TestGrid(LedgerState genesis) {
        this.state = genesis;
    }

    static Ed25519KeyPair key(int n) {
        byte[] seed = new byte[32];
        seed[0] = (byte) n;
        seed[31] = (byte) (n >> 8);
        return Ed25519KeyPair.fromSeed(seed);
    }

    static ChainParameters params(long faucetLimit) {
        return params(faucetLimit, List.of(V1, V2, V3));
    }

    static ChainParameters params(long faucetLimit, List<Ed25519KeyPair> validators) {
        return new ChainParameters(CHAIN_ID, 3600, 14 * 86_400, 3600, 20, 86_400, 950, 10, 50, faucetLimit,
                30 * 86_400, ChainParameters.referenceDiscounts(), validators.stream().map(Ed25519KeyPair::publicKey).toList());
    }

    /** A devnet with a faucet and the given initial balances. */
    static TestGrid devnet(Map<Ed25519PublicKey, Long> allocations) {
        return new TestGrid(LedgerState.genesis(params(1_000_000_000), List.of(POLICY), allocations, T0));
    }

    static TestGrid devnet() {
        return devnet(Map.of());
    }

    static Hash256 blockHash(long h) {
        return Sha256.digest(("block " + h).getBytes(StandardCharsets.UTF_8));
    }

    BlockContext block() {
        TreeMap<Long, Hash256> certified = new TreeMap<>();
        for (long h = Math.max(0, height - 30); h < height; h++) {
            certified.put(h, blockHash(h));
        }
        return new BlockContext(height, time, certified);
    }

    SignedTransaction sign(Ed25519KeyPair keys, Transaction tx) {
        return SignedTransaction.sign(keys, CHAIN_ID, state.account(keys.publicKey()).nonce(), height + 10, tx);
    }

    Outcome submit(Ed25519KeyPair keys, Transaction tx) {
        return submit(sign(keys, tx));
    }

    Outcome submit(SignedTransaction tx) {
        Ledger.Transition t = Ledger.apply(state, tx, block());
        state = t.state();
        state.checkInvariants();
        return t.outcome();
    }

    /** Submits and asserts acceptance, returning the events. */
    List<Event> ok(Ed25519KeyPair keys, Transaction tx) {
        Outcome outcome = submit(keys, tx);
        assertThat(outcome).as("outcome of %s", tx).isInstanceOf(Outcome.Accepted.class);
        return ((Outcome.Accepted) outcome).events();
    }

    /** Submits and returns the refusal reason, asserting that it was refused. */
    String refused(Ed25519KeyPair keys, Transaction tx) {
        Outcome outcome = submit(keys, tx);
        assertThat(outcome).as("outcome of %s", tx).isInstanceOf(Outcome.Refused.class);
        return ((Outcome.Refused) outcome).reason();
    }

    /** Ends the current block and starts the next one {@code seconds} later. */
    List<Event> endBlock(long seconds) {
        Ledger.BlockEnd end = Ledger.endBlock(state, block());
        state = end.state();
        state.checkInvariants();
        blockEvents.addAll(end.events());
        height++;
        time += seconds;
        return end.events();
    }

    /** Ends blocks until block time reaches {@code target}, each one {@code step} seconds apart. */
    List<Event> runUntil(long target, long step) {
        List<Event> events = new ArrayList<>();
        while (time < target) {
            events.addAll(endBlock(Math.min(step, target - time)));
        }
        return events;
    }

    long balance(Ed25519KeyPair keys) {
        return state.account(keys.publicKey()).balance();
    }

    Outcome attest(Ed25519KeyPair node, long nodeId) {
        return submit(node, new Transaction.AttestUptime(nodeId, height - 1, blockHash(height - 1)));
    }

    // ---- a small grid: a farmer with a farm and one node, and a user ----

    static final Ed25519KeyPair FARMER = key(1);
    static final Ed25519KeyPair NODE = key(2);
    static final Ed25519KeyPair USER = key(3);
    static final Resources NODE_CAPACITY = new Resources(8, 32 * GIB, 1000 * GIB, 4000 * GIB);

    /** Farmer twin 1 with farm 1 (two public IPs), node twin 2 with node 1, user twin 3. */
    static TestGrid withNode(long userBalance) {
        TestGrid g = devnet(Map.of(USER.publicKey(), userBalance));
        g.ok(FARMER, new Transaction.CreateTwin(java.util.Optional.empty()));
        g.ok(NODE, new Transaction.CreateTwin(java.util.Optional.of("node.example:9000")));
        g.ok(USER, new Transaction.CreateTwin(java.util.Optional.empty()));
        g.ok(FARMER, new Transaction.CreateFarm("farm-one"));
        g.ok(FARMER, new Transaction.AddFarmIp(1, "185.0.0.10/24", "185.0.0.1"));
        g.ok(FARMER, new Transaction.AddFarmIp(1, "185.0.0.11/24", "185.0.0.1"));
        g.ok(NODE, new Transaction.RegisterNode(1, NODE_CAPACITY, new Location("BE", "Ghent"), "node.example:9000"));
        return g;
    }
}
