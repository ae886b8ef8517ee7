package dev.quilt.chain;

import static dev.quilt.chain.TestGrid.FARMER;
import static dev.quilt.chain.TestGrid.GIB;
import static dev.quilt.chain.TestGrid.NODE;
import static dev.quilt.chain.TestGrid.NODE_CAPACITY;
import static dev.quilt.chain.TestGrid.USER;
import static dev.quilt.chain.TestGrid.V1;
import static dev.quilt.chain.TestGrid.V2;
import static dev.quilt.chain.TestGrid.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.chain.Transaction.AddFarmIp;
import dev.quilt.chain.Transaction.AttestUptime;
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
import dev.quilt.chain.Transaction.UpdateTwin;
import dev.quilt.chain.Transaction.Vote;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Hash256;
import dev.quilt.common.crypto.Sha256;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every refusal the ledger gives, with its exact reason. */
class RefusalTest {
    static final Ed25519KeyPair STRANGER = key(99);
    static final Hash256 DOC = Sha256.digest(new byte[] {1});
    static final Hash256 DOC2 = Sha256.digest(new byte[] {2});
    static final Resources SMALL = new Resources(2, 4 * GIB, 100 * GIB, 0);

    final TestGrid grid = TestGrid.withNode(1_000_000);

    @Nested
    class Accounts {
        @Test
        void transferOfNothing() {
            assertThat(grid.refused(USER, new Transfer(FARMER.publicKey(), 0))).isEqualTo("amount must be positive: 0");
        }

        @Test
        void transferBeyondBalance() {
            assertThat(grid.refused(FARMER, new Transfer(USER.publicKey(), 100))).isEqualTo("insufficient balance: 0 < 100");
        }

        @Test
        void faucetOutsideDevnet() {
            TestGrid mainnet = new TestGrid(LedgerState.genesis(TestGrid.params(0), List.of(TestGrid.POLICY), Map.of(), TestGrid.T0));
            assertThat(mainnet.refused(USER, new Faucet(10))).isEqualTo("faucet disabled on chain quilt-test");
        }

        @Test
        void faucetAboveItsLimit() {
            assertThat(grid.refused(USER, new Faucet(1_000_000_001))).isEqualTo("faucet amount must be 1..1000000000: 1000000001");
        }

        @Test
        void faucetThatWouldOverflowTheSupply() {
            TestGrid rich = new TestGrid(LedgerState.genesis(TestGrid.params(Long.MAX_VALUE), List.of(TestGrid.POLICY),
                    Map.of(USER.publicKey(), 10L), TestGrid.T0));
            assertThat(rich.refused(FARMER, new Faucet(Long.MAX_VALUE))).isEqualTo("supply would overflow");
        }
    }

    @Nested
    class Registry {
        @Test
        void secondTwinForOneKey() {
            assertThat(grid.refused(USER, new CreateTwin(Optional.empty()))).isEqualTo("key already has twin 3");
        }

        @Test
        void actionsThatNeedATwin() {
            assertThat(grid.refused(STRANGER, new UpdateTwin(Optional.empty()))).isEqualTo("sender has no twin");
            assertThat(grid.refused(STRANGER, new CreateFarm("x"))).isEqualTo("sender has no twin");
            assertThat(grid.refused(STRANGER, new CreateNameContract("web"))).isEqualTo("sender has no twin");
            assertThat(grid.refused(STRANGER, new CreateRentContract(1))).isEqualTo("sender has no twin");
            assertThat(grid.refused(STRANGER, new CreateNodeContract(1, DOC, SMALL, 0))).isEqualTo("sender has no twin");
            assertThat(grid.refused(STRANGER, new RegisterNode(1, NODE_CAPACITY, new Location("BE", "Gent"), "e")))
                    .isEqualTo("sender has no twin");
        }

        @Test
        void badOrTakenFarmName() {
            assertThat(grid.refused(USER, new CreateFarm("my farm"))).isEqualTo("invalid farm name 'my farm': use 1-40 of A-Z a-z 0-9 _ -");
            assertThat(grid.refused(USER, new CreateFarm("farm-one"))).isEqualTo("farm name 'farm-one' is taken by farm 1");
        }

        @Test
        void farmChangesByOthersOrOnMissingFarms() {
            assertThat(grid.refused(USER, new SetFarmPricing(1, 1))).isEqualTo("farm 1 is owned by twin 1");
            assertThat(grid.refused(FARMER, new SetFarmPricing(9, 1))).isEqualTo("no farm 9");
            assertThat(grid.refused(FARMER, new SetFarmPricing(1, 7))).isEqualTo("no pricing policy 7");
            assertThat(grid.refused(USER, new AddFarmIp(1, "1.2.3.4/24", "1.2.3.1"))).isEqualTo("farm 1 is owned by twin 1");
        }

        @Test
        void badOrDuplicateIp() {
            assertThat(grid.refused(FARMER, new AddFarmIp(1, "", "1.2.3.1"))).isEqualTo("ip and gateway must not be empty");
            assertThat(grid.refused(FARMER, new AddFarmIp(1, "185.0.0.10/24", "185.0.0.1")))
                    .isEqualTo("public IP 185.0.0.10/24 is already registered");
        }

        @Test
        void farmIpLimit() {
            for (int i = 2; i < Farm.MAX_IPS; i++) {
                grid.ok(FARMER, new AddFarmIp(1, "10.0." + (i / 250) + "." + (i % 250) + "/16", "10.0.0.1"));
            }
            assertThat(grid.refused(FARMER, new AddFarmIp(1, "10.9.9.9/16", "10.0.0.1"))).isEqualTo("farm 1 already has 256 public IPs");
        }

        @Test
        void nodeRegistration() {
            Location here = new Location("BE", "Ghent");
            assertThat(grid.refused(NODE, new RegisterNode(1, NODE_CAPACITY, here, "e"))).isEqualTo("twin 2 already has node 1");
            assertThat(grid.refused(USER, new RegisterNode(9, NODE_CAPACITY, here, "e"))).isEqualTo("no farm 9");
            assertThat(grid.refused(USER, new RegisterNode(1, new Resources(1, GIB, 100 * GIB, 0), here, "e")))
                    .isEqualTo("capacity below the minimum node: mru 2147483648 > 1073741824");
            assertThat(grid.refused(USER, new RegisterNode(1, new Resources(Long.MAX_VALUE, 4 * GIB, 100 * GIB, 0), here, "e")))
                    .isEqualTo("capacity above the maximum node: cru 9223372036854775807 > 1048576");
            assertThat(grid.refused(USER, new RegisterNode(1, NODE_CAPACITY, here, ""))).isEqualTo("node endpoint must not be empty");
        }

        @Test
        void nodeUpdates() {
            Location here = new Location("BE", "Ghent");
            assertThat(grid.refused(NODE, new UpdateNode(9, NODE_CAPACITY, here, "e"))).isEqualTo("no node 9");
            assertThat(grid.refused(FARMER, new UpdateNode(1, NODE_CAPACITY, here, "e"))).isEqualTo("only node 1 itself may update it");
            grid.ok(USER, new CreateNodeContract(1, DOC, new Resources(6, 4 * GIB, 100 * GIB, 0), 0));
            assertThat(grid.refused(NODE, new UpdateNode(1, new Resources(4, 32 * GIB, 1000 * GIB, 0), here, "e")))
                    .isEqualTo("capacity below what contracts reserve: cru 6 > 4");
        }
    }

    @Nested
    class Contracts {
        @Test
        void nodeContractOnMissingNode() {
            assertThat(grid.refused(USER, new CreateNodeContract(9, DOC, SMALL, 0))).isEqualTo("no node 9");
        }

        @Test
        void nodeContractBeyondFreeCapacity() {
            grid.ok(USER, new CreateNodeContract(1, DOC, new Resources(2, 30 * GIB, 100 * GIB, 0), 0));
            assertThat(grid.refused(USER, new CreateNodeContract(1, DOC2, new Resources(2, 4 * GIB, 100 * GIB, 0), 0)))
                    .isEqualTo("insufficient capacity on node 1: requested mru 4294967296 > 2147483648 free");
        }

        @Test
        void sameDeploymentTwiceOnOneNode() {
            grid.ok(USER, new CreateNodeContract(1, DOC, SMALL, 0));
            assertThat(grid.refused(USER, new CreateNodeContract(1, DOC, SMALL, 0)))
                    .isEqualTo("deployment hash already used on node 1 by contract 1");
        }

        @Test
        void moreIpsThanTheFarmHasFree() {
            grid.ok(USER, new CreateNodeContract(1, DOC, SMALL, 1));
            assertThat(grid.refused(USER, new CreateNodeContract(1, DOC2, SMALL, 2)))
                    .isEqualTo("farm 1 has 1 free public IPs, 2 requested");
        }

        @Test
        void updatesAndCancelsByOthersOrOnMissingContracts() {
            grid.ok(USER, new CreateNodeContract(1, DOC, SMALL, 0));
            assertThat(grid.refused(FARMER, new UpdateNodeContract(1, DOC2, SMALL))).isEqualTo("contract 1 belongs to twin 3");
            assertThat(grid.refused(USER, new UpdateNodeContract(9, DOC2, SMALL))).isEqualTo("no live contract 9");
            assertThat(grid.refused(FARMER, new CancelContract(1))).isEqualTo("contract 1 belongs to twin 3");
            grid.ok(USER, new CancelContract(1));
            assertThat(grid.refused(USER, new CancelContract(1))).isEqualTo("no live contract 1");
        }

        @Test
        void updateOfANameContract() {
            grid.ok(USER, new CreateNameContract("web"));
            assertThat(grid.refused(USER, new UpdateNodeContract(1, DOC, SMALL))).isEqualTo("contract 1 is not a node contract");
        }

        @Test
        void updateBeyondCapacityOrOntoAnotherDeploymentsHash() {
            grid.ok(USER, new CreateNodeContract(1, DOC, SMALL, 0));
            grid.ok(USER, new CreateNodeContract(1, DOC2, SMALL, 0));
            assertThat(grid.refused(USER, new UpdateNodeContract(1, DOC, new Resources(7, 4 * GIB, 100 * GIB, 0))))
                    .isEqualTo("insufficient capacity on node 1: requested cru 7 > 6 free");
            assertThat(grid.refused(USER, new UpdateNodeContract(1, DOC2, SMALL)))
                    .isEqualTo("deployment hash already used on node 1 by contract 2");
        }

        @Test
        void updateDuringGracePeriod() {
            TestGrid poor = TestGrid.withNode(165_000);
            poor.ok(USER, new CreateNodeContract(1, DOC, SMALL, 1));
            poor.ok(USER, new Transfer(FARMER.publicKey(), 165_000));
            poor.attest(NODE, 1);
            poor.runUntil(TestGrid.T0 + 3600, 600);
            poor.endBlock(1);
            assertThat(poor.state.contracts().get(1L).state()).isInstanceOf(ContractState.GracePeriod.class);
            assertThat(poor.refused(USER, new UpdateNodeContract(1, DOC2, SMALL))).isEqualTo("contract 1 is in its grace period");
        }

        @Test
        void nameContracts() {
            assertThat(grid.refused(USER, new CreateNameContract("ab"))).isEqualTo("invalid name 'ab': use 3-64 of a-z 0-9 _ -");
            grid.ok(USER, new CreateNameContract("web"));
            assertThat(grid.refused(FARMER, new CreateNameContract("web"))).isEqualTo("name 'web' is taken by contract 1");
        }

        @Test
        void aContractNeedsFundsForItsFirstBillingPeriod() {
            // SMALL with one IP: 1 CU (100 000/h) + 0.5 SU (25 000/h) + one IPv4 (40 000/h), billed hourly
            TestGrid poor = TestGrid.withNode(164_999);
            assertThat(poor.refused(USER, new CreateNodeContract(1, DOC, SMALL, 1)))
                    .isEqualTo("insufficient balance: 164999 < 165000 (the contract's first billing period)");
            assertThat(poor.refused(FARMER, new CreateNameContract("web")))
                    .isEqualTo("insufficient balance: 0 < 2500 (the contract's first billing period)");
            assertThat(poor.refused(USER, new CreateRentContract(1))).startsWith("insufficient balance: 164999 < ");
            poor.ok(USER, new Faucet(1));
            poor.ok(USER, new CreateNodeContract(1, DOC, SMALL, 1));
        }

        @Test
        void rentContracts() {
            assertThat(grid.refused(USER, new CreateRentContract(9))).isEqualTo("no node 9");
            grid.ok(USER, new Transfer(FARMER.publicKey(), 200_000));
            grid.ok(FARMER, new CreateNodeContract(1, DOC, SMALL, 0));
            assertThat(grid.refused(USER, new CreateRentContract(1))).isEqualTo("node 1 runs contracts of other twins");
            grid.ok(FARMER, new CancelContract(1));
            grid.ok(USER, new CreateRentContract(1));
            assertThat(grid.refused(FARMER, new CreateRentContract(1))).isEqualTo("node 1 is already rented by contract 2");
            assertThat(grid.refused(FARMER, new CreateNodeContract(1, DOC2, SMALL, 0))).isEqualTo("node 1 is rented by twin 3");
            grid.ok(USER, new CreateNodeContract(1, DOC2, SMALL, 0));
            assertThat(grid.refused(USER, new CancelContract(2))).isEqualTo("rent contract 2 still has 1 node contracts on node 1");
        }

        @Test
        void usageReports() {
            grid.ok(USER, new CreateNodeContract(1, DOC, SMALL, 0));
            grid.ok(USER, new CreateNameContract("web"));
            assertThat(grid.refused(NODE, new ReportUsage(9, SMALL, 0))).isEqualTo("no live contract 9");
            assertThat(grid.refused(NODE, new ReportUsage(2, SMALL, 0))).isEqualTo("contract 2 is not a node contract");
            assertThat(grid.refused(USER, new ReportUsage(1, SMALL, 0))).isEqualTo("only node 1 may report usage of contract 1");
            assertThat(grid.refused(NODE, new ReportUsage(1, new Resources(2, 8 * GIB, 0, 0), 0)))
                    .isEqualTo("usage exceeds the contract's reservation: mru 8589934592 > 4294967296");
            grid.ok(NODE, new ReportUsage(1, SMALL, Long.MAX_VALUE));
            assertThat(grid.refused(NODE, new ReportUsage(1, SMALL, 1))).isEqualTo("network usage would overflow");
        }
    }

    @Nested
    class Uptime {
        @Test
        void attestationsForOtherNodesOrMissingNodes() {
            grid.endBlock(10);
            assertThat(grid.refused(NODE, new AttestUptime(9, 1, TestGrid.blockHash(1)))).isEqualTo("no node 9");
            assertThat(grid.refused(FARMER, new AttestUptime(1, 1, TestGrid.blockHash(1))))
                    .isEqualTo("only node 1 may attest its uptime");
        }

        @Test
        void challengeFromTheFutureOrThePresent() {
            assertThat(grid.refused(NODE, new AttestUptime(1, 1, TestGrid.blockHash(1))))
                    .isEqualTo("challenge height 1 is not before block 1");
        }

        @Test
        void challengePastItsDeadline() {
            grid.runUntil(TestGrid.T0 + 25 * 6, 6);
            assertThat(grid.height).isEqualTo(26);
            assertThat(grid.refused(NODE, new AttestUptime(1, 5, TestGrid.blockHash(5))))
                    .isEqualTo("challenge expired: block 5 is 21 blocks old, deadline 20");
        }

        @Test
        void challengeWithAWrongHash() {
            grid.runUntil(TestGrid.T0 + 60, 6);
            assertThat(grid.refused(NODE, new AttestUptime(1, 8, TestGrid.blockHash(7))))
                    .isEqualTo("challenge hash does not match certified block 8");
        }

        @Test
        void challengeOnABlockNotYetCertified() {
            grid.runUntil(TestGrid.T0 + 60, 6);
            var tx = grid.sign(NODE, new AttestUptime(1, 10, TestGrid.blockHash(10)));
            var uncertified = new BlockContext(grid.height, grid.time, new TreeMap<>(Map.of(9L, TestGrid.blockHash(9))));
            assertThat(Ledger.apply(grid.state, tx, uncertified).outcome())
                    .isEqualTo(Outcome.refused("no certified block at height 10"));
        }
    }

    @Nested
    class Governance {
        final Propose grace = new Propose(new ProposalAction.SetGracePeriod(86_400), 1, 3600);

        @Test
        void proposalsFromOutsideTheCouncil() {
            assertThat(grid.refused(FARMER, grace)).isEqualTo("only council members may propose");
        }

        @Test
        void invalidProposals() {
            assertThat(grid.refused(V1, new Propose(new ProposalAction.SetGracePeriod(86_400), 1, 0)))
                    .isEqualTo("proposal duration must be 1..2592000 seconds: 0");
            assertThat(grid.refused(V1, new Propose(new ProposalAction.SetGracePeriod(0), 1, 60)))
                    .isEqualTo("grace period must be positive");
            assertThat(grid.refused(V1, new Propose(new ProposalAction.SetBillingPeriod(0), 1, 60)))
                    .isEqualTo("billing period must be positive");
            assertThat(grid.refused(V1, new Propose(new ProposalAction.SetValidators(List.of()), 1, 60)))
                    .isEqualTo("validator set must have 1..128 members");
        }

        @Test
        void votesThatDoNotCount() {
            assertThat(grid.refused(V1, new Vote(9, Optional.empty(), true))).isEqualTo("no proposal 9");
            grid.ok(V1, grace);
            assertThat(grid.refused(USER, new Vote(1, Optional.empty(), true)))
                    .isEqualTo("only council members may vote without a farm");
            assertThat(grid.refused(USER, new Vote(1, Optional.of(1L), true))).isEqualTo("farm 1 is owned by twin 1");
            grid.ok(USER, new CreateFarm("empty-farm"));
            assertThat(grid.refused(USER, new Vote(1, Optional.of(2L), true)))
                    .isEqualTo("farm 2 has no node capacity to vote with");
            grid.runUntil(TestGrid.T0 + 3600, 600);
            assertThat(grid.refused(V2, new Vote(1, Optional.empty(), true))).isEqualTo("proposal 1 is closed for voting");
        }
    }
}
