package dev.quilt.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Sha256;
import dev.quilt.testkit.Await;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-validator chain end to end with a 2-second billing period and an 8-second grace period: a
 * farm, a node that attests its uptime and reports usage, contracts billed from block time, one
 * twin that runs out of funds, pays and resumes, another left unpaid until its contract is
 * deleted, and the refusals of a contract too big for the node and of a twin without funds.
 */
class ChainLiveBillingIT {
    static final Resources SMALL = new Resources(1, 2 * Resources.GIB, 100 * Resources.GIB, 0);
    static final Resources NODE_CAPACITY = new Resources(4, 8 * Resources.GIB, 400 * Resources.GIB, 0);
    static final Ed25519KeyPair VALIDATOR = TestGrid.key(601);
    static final Ed25519KeyPair FARMER = TestGrid.key(602);
    static final Ed25519KeyPair NODE = TestGrid.key(603);
    static final Ed25519KeyPair PAYER = TestGrid.key(604);
    static final Ed25519KeyPair RESUMES = TestGrid.key(605);
    static final Ed25519KeyPair UNPAID = TestGrid.key(606);
    static final Ed25519KeyPair BROKE = TestGrid.key(607);

    @TempDir
    static Path dir;
    static ChainCluster cluster;
    static ChainNode node;
    static final List<Event> events = new CopyOnWriteArrayList<>();
    static final ConcurrentLinkedQueue<Transaction> nodeQueue = new ConcurrentLinkedQueue<>();
    static volatile boolean stopping;
    static Thread nodeAgent;

    @BeforeAll
    static void start() throws Exception {
        ChainParameters params = new ChainParameters(TestGrid.CHAIN_ID, 2, 8, 2, 20, 3600, 950, 10, 50, 0, 86_400,
                ChainParameters.referenceDiscounts(), List.of(VALIDATOR.publicKey()));
        cluster = new ChainCluster(dir, List.of(VALIDATOR), 0, Map.of(FARMER.publicKey(), 1_000_000L,
                PAYER.publicKey(), 1_000_000L, RESUMES.publicKey(), 100L, UNPAID.publicKey(), 100L), params).startAll();
        node = cluster.node("v1");
        node.onBlock(block -> {
            block.outcomes().forEach(o -> {
                if (o instanceof Outcome.Accepted a) {
                    events.addAll(a.events());
                }
            });
            events.addAll(block.endEvents());
        });
        LiveActor farmer = new LiveActor(node, FARMER);
        farmer.ok(new Transaction.CreateTwin(Optional.empty()));
        farmer.ok(new Transaction.CreateFarm("live-farm"));
        farmer.ok(new Transaction.AddFarmIp(1, "185.0.0.10/24", "185.0.0.1"));
        farmer.ok(new Transaction.AddFarmIp(1, "185.0.0.11/24", "185.0.0.1"));
        LiveActor nodeActor = new LiveActor(node, NODE);
        nodeActor.ok(new Transaction.CreateTwin(Optional.empty()));
        nodeActor.ok(new Transaction.RegisterNode(1, NODE_CAPACITY, new Location("BE", "Ghent"), "127.0.0.1:1"));
        nodeAgent = Thread.ofVirtual().start(() -> runNodeAgent(nodeActor));
    }

    /**
     * The node's side: answer the newest final block's challenge again and again, so every uptime
     * window is attested, and send queued usage reports. The only sender with the node's key.
     */
    static void runNodeAgent(LiveActor nodeActor) {
        while (!stopping) {
            for (Transaction t; (t = nodeQueue.poll()) != null; ) {
                nodeActor.send(t);
            }
            long h = node.head().height();
            while (h > 0 && !node.isFinal(h)) {
                h--;
            }
            if (h > 0) {
                nodeActor.send(new Transaction.AttestUptime(1, h, node.block(h).orElseThrow().header().hash()));
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        stopping = true;
        nodeAgent.join(LiveActor.TIMEOUT);
        cluster.close();
    }

    @Test
    void contractsAreBilledGoIntoGraceResumeWhenPaidAndAreDeletedWhenNot() {
        LiveActor resumes = new LiveActor(node, RESUMES);
        LiveActor unpaid = new LiveActor(node, UNPAID);
        LiveActor payer = new LiveActor(node, PAYER);
        resumes.ok(new Transaction.CreateTwin(Optional.empty()));
        unpaid.ok(new Transaction.CreateTwin(Optional.empty()));
        // 0.5 CU + 0.5 SU + one IPv4 = 115 000 an hour: 63 for each 2-second period; 100 pays one bill, not two.
        resumes.ok(new Transaction.CreateNodeContract(1, Sha256.digest(new byte[] {1}), SMALL, 1));
        unpaid.ok(new Transaction.CreateNodeContract(1, Sha256.digest(new byte[] {2}), SMALL, 1));
        long resumingContract = contractOf(RESUMES);
        long unpaidContract = contractOf(UNPAID);
        nodeQueue.add(new Transaction.ReportUsage(resumingContract, SMALL, 0));
        nodeQueue.add(new Transaction.ReportUsage(unpaidContract, SMALL, 0));

        awaitEvent(e -> e instanceof Event.ContractBilled b && b.contractId() == resumingContract && b.amount() > 0, "a bill");
        awaitEvent(e -> e instanceof Event.GracePeriodStarted g && g.contractId() == resumingContract, "grace of the first");
        awaitEvent(e -> e instanceof Event.GracePeriodStarted g && g.contractId() == unpaidContract, "grace of the second");
        assertThat(node.state().contract(resumingContract).orElseThrow().state()).isInstanceOf(ContractState.GracePeriod.class);

        payer.ok(new Transaction.Transfer(RESUMES.publicKey(), 100_000));
        awaitEvent(e -> e instanceof Event.GracePeriodEnded g && g.contractId() == resumingContract, "resumption");
        assertThat(node.state().contract(resumingContract).orElseThrow().state()).isEqualTo(ContractState.CREATED);

        awaitEvent(e -> e instanceof Event.ContractDeleted d && d.contractId() == unpaidContract, "deletion");
        assertThat(events).contains(new Event.ContractDeleted(unpaidContract, 1, ContractState.DeletionReason.OUT_OF_FUNDS));
        assertThat(events).noneMatch(e -> e instanceof Event.ContractDeleted d && d.contractId() == resumingContract);
        assertThat(node.state().contract(unpaidContract).orElseThrow().state())
                .isEqualTo(new ContractState.Deleted(ContractState.DeletionReason.OUT_OF_FUNDS));
        // The deleted contract's reservation and IP are released; the live one keeps its own.
        assertThat(node.state().node(1).orElseThrow().reserved()).isEqualTo(SMALL);
        assertThat(node.state().farms().get(1L).publicIps()).filteredOn(PublicIp::isFree).hasSize(1);
    }

    @Test
    void aContractBeyondTheNodesFreeCapacityAndOneFromATwinWithoutFundsAreRefused() {
        LiveActor payer = new LiveActor(node, PAYER);
        LiveActor broke = new LiveActor(node, BROKE);
        if (node.state().twinOf(PAYER.publicKey()).isEmpty()) {
            payer.ok(new Transaction.CreateTwin(Optional.empty()));
        }
        broke.ok(new Transaction.CreateTwin(Optional.empty()));
        assertThat(payer.refusal(new Transaction.CreateNodeContract(1, Sha256.digest(new byte[] {3}),
                new Resources(5, 2 * Resources.GIB, 0, 0), 0)))
                .contains("insufficient capacity on node 1: requested cru 5 > " + node.state().node(1).orElseThrow().free().cru() + " free");
        assertThat(broke.refusal(new Transaction.CreateNodeContract(1, Sha256.digest(new byte[] {4}), SMALL, 0)))
                .contains("insufficient balance: 0 < 41 (the contract's first billing period)");
    }

    static long contractOf(Ed25519KeyPair key) {
        long twin = node.state().twinOf(key.publicKey()).orElseThrow().id();
        return node.state().contracts().values().stream().filter(c -> c.twinId() == twin).mapToLong(Contract::id).max()
                .orElseThrow();
    }

    static void awaitEvent(java.util.function.Predicate<Event> wanted, String what) {
        Await.until(() -> events.stream().anyMatch(wanted), LiveActor.TIMEOUT,
                () -> what + " not seen; head " + node.head().height() + ", events " + events.stream()
                        .filter(e -> !(e instanceof Event.UptimeAttested)).toList());
    }
}
