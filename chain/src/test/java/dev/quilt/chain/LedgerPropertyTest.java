package dev.quilt.chain;

import static dev.quilt.chain.TestGrid.GIB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.chain.Transaction.AddFarmIp;
import dev.quilt.chain.Transaction.CancelContract;
import dev.quilt.chain.Transaction.CreateFarm;
import dev.quilt.chain.Transaction.CreateNameContract;
import dev.quilt.chain.Transaction.CreateNodeContract;
import dev.quilt.chain.Transaction.CreateRentContract;
import dev.quilt.chain.Transaction.CreateTwin;
import dev.quilt.chain.Transaction.Faucet;
import dev.quilt.chain.Transaction.Propose;
import dev.quilt.chain.Transaction.RegisterNode;
import dev.quilt.chain.Transaction.ReportUsage;
import dev.quilt.chain.Transaction.SetFarmPricing;
import dev.quilt.chain.Transaction.Transfer;
import dev.quilt.chain.Transaction.UpdateNode;
import dev.quilt.chain.Transaction.UpdateNodeContract;
import dev.quilt.chain.Transaction.Vote;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;

/**
 * Random sequences of valid and invalid transactions, forged and replayed envelopes, and block
 * ends, checked after every step against a simple model:
 * <ul>
 *   <li>no balance is negative ({@link Account} cannot hold one), and the supply counters match
 *       the model: minted grows only by genesis, faucet and reward events, burned only by burn events;</li>
 *   <li>{@link LedgerState#checkInvariants()}: the balances add up to minted − burned; each node's
 *       reserved capacity is the sum of its live node contracts' reservations and never exceeds its
 *       capacity; farm IPs and rent slots are held only by live contracts that claim them;</li>
 *   <li>an envelope refusal (bad signature, wrong nonce, expired) changes nothing; a payload
 *       refusal changes nothing but the sender's nonce; an acceptance advances the sender's nonce by one;</li>
 *   <li>a replayed transaction is always refused;</li>
 *   <li>the state's canonical encoding decodes to an equal state, and running the same sequence
 *       twice gives byte-identical states and identical events (determinism).</li>
 * </ul>
 * Short periods (10-minute billing and windows, 1-hour grace and reward periods) let billing,
 * grace, deletion and rewards happen within a run.
 */
class LedgerPropertyTest {
    static final List<Ed25519KeyPair> ACTORS = List.of(TestGrid.key(31), TestGrid.key(32), TestGrid.key(33),
            TestGrid.key(34), TestGrid.key(35), TestGrid.V1, TestGrid.V2, TestGrid.V3);
    static final long ALLOCATION = 2_000_000;
    static final long USER_ALLOCATION = 100_000;
    static final Resources NODE_CAP = new Resources(8, 32 * GIB, 1000 * GIB, 1000 * GIB);
    static final Location LOC = new Location("BE", "Ghent");
    static final List<Hash256> HASHES = List.of(Sha256.digest(new byte[] {1}), Sha256.digest(new byte[] {2}),
            Sha256.digest(new byte[] {3}));

    sealed interface Step {}

    record Submit(int actor, Transaction tx) implements Step {}

    /** A node answers the challenge of the block {@code age} blocks back, with the right hash or not. */
    record Attest(int actor, long nodeId, int age, boolean rightHash) implements Step {}

    record Replay(int index) implements Step {}

    /** Signed by one actor, claiming to come from the next. */
    record Forge(int actor, Transaction tx) implements Step {}

    record Tick(long seconds) implements Step {}

    static ChainParameters params() {
        return new ChainParameters(TestGrid.CHAIN_ID, 600, 3600, 600, 20, 3600, 950, 100, 50, 1_000_000, 86_400,
                ChainParameters.referenceDiscounts(), List.of(TestGrid.V1.publicKey(), TestGrid.V2.publicKey(),
                TestGrid.V3.publicKey()));
    }

    @Provide
    Arbitrary<List<Step>> runs() {
        Arbitrary<Integer> actor = Arbitraries.integers().between(0, ACTORS.size() - 1);
        Arbitrary<Long> id = Arbitraries.longs().between(0, 4);
        Arbitrary<Long> amount = Arbitraries.longs().between(0, 3_000_000);
        Arbitrary<Resources> resources = Arbitraries.of(Resources.ZERO, new Resources(2, 4 * GIB, 100 * GIB, 0),
                new Resources(4, 16 * GIB, 500 * GIB, 100 * GIB), new Resources(9, GIB, 0, 0), NODE_CAP);
        Arbitrary<Hash256> hash = Arbitraries.of(HASHES);
        Arbitrary<ProposalAction> action = Arbitraries.of(new ProposalAction.SetBillingPeriod(1200),
                new ProposalAction.SetGracePeriod(600), new ProposalAction.SetPricingPolicy(
                        new PricingPolicy(2, "cheap", 1_000, 500, 100, 400, 25, 50)),
                new ProposalAction.SetValidators(List.of(TestGrid.V1.publicKey())));
        Arbitrary<Transaction> tx = Arbitraries.oneOf(List.of(
                Combinators.combine(actor, amount).as((a, m) -> new Transfer(ACTORS.get(a).publicKey(), m)),
                amount.map(Faucet::new),
                Arbitraries.of(Optional.<String>empty(), Optional.of("relay.example")).map(CreateTwin::new),
                Arbitraries.of("farm-a", "farm-b", "bad name").map(CreateFarm::new),
                Combinators.combine(id, Arbitraries.longs().between(1, 2)).as(SetFarmPricing::new),
                Combinators.combine(id, Arbitraries.of("1.0.0.1/24", "1.0.0.2/24", "")).as((f, ip) -> new AddFarmIp(f, ip, "1.0.0.254")),
                Combinators.combine(id, Arbitraries.of(NODE_CAP, new Resources(1, GIB, 0, 0))).as((f, c) -> new RegisterNode(f, c, LOC, "n:1")),
                Combinators.combine(id, Arbitraries.of(NODE_CAP, new Resources(2, 4 * GIB, 100 * GIB, 0))).as((n, c) -> new UpdateNode(n, c, LOC, "n:2")),
                Combinators.combine(id, hash, resources, Arbitraries.integers().between(0, 2)).as(CreateNodeContract::new),
                Combinators.combine(id, hash, resources).as(UpdateNodeContract::new),
                id.map(CancelContract::new),
                Arbitraries.of("web", "api", "x").map(CreateNameContract::new),
                id.map(CreateRentContract::new),
                Combinators.combine(id, resources, Arbitraries.longs().between(0, 5 * GIB)).as(ReportUsage::new),
                Combinators.combine(action, Arbitraries.integers().between(0, 2), Arbitraries.of(0L, 600L, 3600L)).as(Propose::new),
                Combinators.combine(id, Arbitraries.of(Optional.<Long>empty(), Optional.of(1L), Optional.of(2L)),
                        Arbitraries.of(true, false)).as(Vote::new),
                Combinators.combine(Arbitraries.of("media", "db.state", "Bad Name"), hash,
                        Arbitraries.of(Optional.<String>empty(), Optional.of("quilt-main")), Arbitraries.of(Optional.<Long>empty(), Optional.of(7L)))
                        .as((n, h, c, at) -> new Transaction.PublishSnapshot(n, h, 1L << 20, c, at))));
        Arbitrary<Step> submit = Combinators.combine(actor, tx).as(Submit::new);
        Arbitrary<Step> roleful = rolefulSteps(id, resources, hash);
        Arbitrary<Step> attest = Combinators.combine(actor, id, Arbitraries.integers().between(1, 25),
                Arbitraries.of(true, true, true, false)).as(Attest::new);
        Arbitrary<Step> replay = Arbitraries.integers().between(0, 1000).map(Replay::new);
        Arbitrary<Step> forge = Combinators.combine(actor, tx).as(Forge::new);
        Arbitrary<Step> tick = Arbitraries.of(6L, 300L, 600L, 1800L, 3600L).map(Tick::new);
        return Arbitraries.frequencyOf(Tuple.of(8, submit), Tuple.of(10, roleful), Tuple.of(2, attest),
                Tuple.of(1, replay), Tuple.of(1, forge), Tuple.of(5, tick)).list().ofMinSize(1).ofMaxSize(80);
    }

    /**
     * Transactions sent by the actor whose role makes them plausible (node 1 is actor 1's, node 2
     * actor 2's, farm 1 actor 0's, users are actors 3 and 4, the council actors 5 to 7), so that
     * many are accepted and runs reach billing, grace periods, deletions, rewards and votes.
     */
    static Arbitrary<Step> rolefulSteps(Arbitrary<Long> id, Arbitrary<Resources> resources, Arbitrary<Hash256> hash) {
        Arbitrary<Integer> node = Arbitraries.integers().between(1, 2);
        Arbitrary<Integer> user = Arbitraries.integers().between(3, 4);
        Arbitrary<Integer> council = Arbitraries.integers().between(5, 7);
        Arbitrary<Long> contract = Arbitraries.longs().between(1, 5);
        Arbitrary<Resources> small = Arbitraries.of(Resources.ZERO, new Resources(1, 2 * GIB, 50 * GIB, 0),
                new Resources(2, 4 * GIB, 100 * GIB, 0));
        return Arbitraries.oneOf(List.of(
                Combinators.combine(node, Arbitraries.integers().between(1, 22), Arbitraries.of(true, true, true, false))
                        .as((n, age, right) -> new Attest(n, n, age, right)),
                Combinators.combine(node, contract, small, Arbitraries.longs().between(0, 2 * GIB))
                        .as((n, c, r, nu) -> new Submit(n, new ReportUsage(c, r, nu))),
                Combinators.combine(user, node, hash, resources, Arbitraries.integers().between(0, 1))
                        .as((u, n, h, r, ips) -> new Submit(u, new CreateNodeContract(n, h, r, ips))),
                Combinators.combine(user, contract, hash, resources)
                        .as((u, c, h, r) -> new Submit(u, new UpdateNodeContract(c, h, r))),
                Combinators.combine(user, contract).as((u, c) -> new Submit(u, new CancelContract(c))),
                Combinators.combine(user, node).as((u, n) -> new Submit(u, new CreateRentContract(n))),
                Combinators.combine(user, Arbitraries.longs().between(1, 300_000)).as((u, m) -> new Submit(u, new Faucet(m))),
                Arbitraries.longs().between(1, 2).map(p -> new Submit(0, new SetFarmPricing(1, p))),
                Combinators.combine(council, Arbitraries.of(new ProposalAction.SetBillingPeriod(1200),
                        new ProposalAction.SetGracePeriod(1200))).as((c, a) -> new Submit(c, new Propose(a, 1, 3600))),
                Combinators.combine(council, Arbitraries.longs().between(1, 3), Arbitraries.of(true, true, false))
                        .as((c, p, yes) -> new Submit(c, new Vote(p, Optional.empty(), yes))),
                Combinators.combine(Arbitraries.longs().between(1, 3), Arbitraries.of(true, false))
                        .as((p, yes) -> new Submit(0, new Vote(p, Optional.of(1L), yes)))));
    }

    @Property(tries = 150)
    void invariantsHoldAfterEveryStep(@ForAll("runs") List<Step> steps) {
        new Run().execute(steps);
    }

    @Property(tries = 60)
    void sameSequenceGivesIdenticalStatesAndEvents(@ForAll("runs") List<Step> steps) {
        Run first = new Run();
        first.execute(steps);
        Run second = new Run();
        second.execute(steps);
        assertThat(second.grid.state.encode()).isEqualTo(first.grid.state.encode());
        assertThat(second.grid.state.hash()).isEqualTo(first.grid.state.hash());
        assertThat(second.log).isEqualTo(first.log);
        assertThat(LedgerState.decode(first.grid.state.encode())).isEqualTo(first.grid.state);
    }

    /** One run: a grid with a farm and two nodes, then the steps, with the invariants checked after each. */
    static final class Run {
        final TestGrid grid;
        final List<SignedTransaction> submitted = new ArrayList<>();
        final List<Object> log = new ArrayList<>();
        long minted;
        long burned;

        Run() {
            Map<dev.quilt.common.crypto.Ed25519PublicKey, Long> allocations = new HashMap<>();
            ACTORS.forEach(a -> allocations.put(a.publicKey(), ALLOCATION));
            // the users start poor, so that their contracts run into grace periods
            allocations.put(ACTORS.get(3).publicKey(), USER_ALLOCATION);
            allocations.put(ACTORS.get(4).publicKey(), USER_ALLOCATION);
            grid = new TestGrid(LedgerState.genesis(params(), List.of(TestGrid.POLICY), allocations, TestGrid.T0));
            minted = allocations.values().stream().mapToLong(Long::longValue).sum();
            for (int i = 0; i < 5; i++) {
                grid.ok(ACTORS.get(i), new CreateTwin(Optional.empty()));
            }
            grid.ok(ACTORS.get(0), new CreateFarm("farm-one"));
            grid.ok(ACTORS.get(0), new AddFarmIp(1, "185.0.0.10/24", "185.0.0.1"));
            grid.ok(ACTORS.get(1), new RegisterNode(1, NODE_CAP, LOC, "n1:9000"));
            grid.ok(ACTORS.get(2), new RegisterNode(1, NODE_CAP, LOC, "n2:9000"));
            check();
        }

        void execute(List<Step> steps) {
            for (Step step : steps) {
                switch (step) {
                    case Submit s -> submit(grid.sign(ACTORS.get(s.actor()), s.tx()), true);
                    case Attest a -> {
                        long h = Math.max(0, grid.height - a.age());
                        Hash256 hash = a.rightHash() ? TestGrid.blockHash(h) : TestGrid.blockHash(h + 1000);
                        submit(grid.sign(ACTORS.get(a.actor()), new Transaction.AttestUptime(a.nodeId(), h, hash)), true);
                    }
                    case Replay r -> {
                        if (!submitted.isEmpty()) {
                            Outcome o = submit(submitted.get(r.index() % submitted.size()), false);
                            assertThat(o).as("replay").isInstanceOf(Outcome.Refused.class);
                        }
                    }
                    case Forge f -> {
                        SignedTransaction real = grid.sign(ACTORS.get(f.actor()), f.tx());
                        var claimed = ACTORS.get((f.actor() + 1) % ACTORS.size()).publicKey();
                        SignedTransaction forged = new SignedTransaction(claimed, grid.state.account(claimed).nonce(),
                                real.expiresAtHeight(), real.payload(), real.signature());
                        assertThat(submit(forged, false)).isEqualTo(Outcome.refused("bad signature for chain quilt-test"));
                    }
                    case Tick t -> {
                        List<Event> events = grid.endBlock(t.seconds());
                        events.forEach(e -> Statistics.label("block events").collect(e.getClass().getSimpleName()));
                        account(events);
                        log.add(events);
                    }
                }
                check();
            }
        }

        private Outcome submit(SignedTransaction tx, boolean remember) {
            LedgerState before = grid.state;
            Outcome outcome = grid.submit(tx);
            log.add(outcome);
            Statistics.label("transactions").collect(
                    tx.payload().getClass().getSimpleName() + (outcome instanceof Outcome.Accepted ? " accepted" : " refused"));
            switch (outcome) {
                case Outcome.Accepted a -> {
                    account(a.events());
                    assertThat(grid.state.account(tx.sender()).nonce()).isEqualTo(before.account(tx.sender()).nonce() + 1);
                }
                case Outcome.Refused r when isEnvelopeRefusal(r.reason()) -> assertThat(grid.state).isSameAs(before);
                case Outcome.Refused r -> {
                    WorkingState nonceOnly = before.edit();
                    nonceOnly.bumpNonce(tx.sender());
                    assertThat(grid.state.encode()).as("refused: %s", r.reason()).isEqualTo(nonceOnly.freeze().encode());
                }
            }
            if (remember && !(outcome instanceof Outcome.Refused r && isEnvelopeRefusal(r.reason()))) {
                submitted.add(tx);
            }
            return outcome;
        }

        private static boolean isEnvelopeRefusal(String reason) {
            return reason.startsWith("bad signature") || reason.startsWith("wrong nonce") || reason.startsWith("expired:");
        }

        /** Follows the supply through events only: an unannounced mint or burn breaks the model. */
        private void account(List<Event> events) {
            for (Event e : events) {
                if (e instanceof Event.Minted m) {
                    minted += m.amount();
                } else if (e instanceof Event.FarmerRewarded r) {
                    minted += r.amount();
                } else if (e instanceof Event.Burned b) {
                    burned += b.amount();
                }
            }
        }

        private Map<String, Snapshot> snapshots = Map.of();

        /**
         * Also: a snapshot name never changes publisher and never loses a version, so every
         * manifest hash once published stays findable.
         */
        private void check() {
            assertThat(grid.state.supply()).isEqualTo(new Supply(minted, burned));
            grid.state.checkInvariants();
            Map<String, Snapshot> now = grid.state.snapshots();
            snapshots.forEach((name, was) -> {
                Snapshot is = now.get(name);
                assertThat(is).as("snapshot %s", name).isNotNull();
                assertThat(is.publisherTwin()).isEqualTo(was.publisherTwin());
                assertThat(is.versions().subList(0, was.versions().size())).isEqualTo(was.versions());
            });
            snapshots = now;
        }
    }
}
