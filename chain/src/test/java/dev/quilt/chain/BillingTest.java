package dev.quilt.chain;

import static dev.quilt.chain.TestGrid.FARMER;
import static dev.quilt.chain.TestGrid.GIB;
import static dev.quilt.chain.TestGrid.NODE;
import static dev.quilt.chain.TestGrid.T0;
import static dev.quilt.chain.TestGrid.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.chain.Transaction.CancelContract;
import dev.quilt.chain.Transaction.CreateNameContract;
import dev.quilt.chain.Transaction.CreateNodeContract;
import dev.quilt.chain.Transaction.CreateRentContract;
import dev.quilt.chain.Transaction.ReportUsage;
import dev.quilt.common.crypto.Sha256;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Billing examples computed by hand from the pricing rules (policy 1: CU 100 000/h, SU 50 000/h,
 * NU 15 000/GiB, IPv4 40 000/h, name 2 500/h, rent pays 50 %).
 *
 * <p>The standard deployment is 2 CPUs, 4 GiB memory, 100 GiB SSD and one IPv4:
 * CU = min(max(4/4, 2/2), max(4/8, 2), max(4/2, 2/4)) = min(1, 2, 2) = 1 → 100 000/h;
 * SU = 100/200 = 0.5 → 25 000/h; IPv4 → 40 000/h; together 165 000 per hour.
 */
class BillingTest {
    static final Resources DEPLOYMENT = new Resources(2, 4 * GIB, 100 * GIB, 0);

    /** Creates the standard contract at T0, the node reports its usage, and the node attests window T0. */
    static TestGrid gridWithContract(long userBalance, int publicIps) {
        TestGrid g = TestGrid.withNode(userBalance);
        g.ok(USER, new CreateNodeContract(1, Sha256.digest(new byte[] {7}), DEPLOYMENT, publicIps));
        g.ok(NODE, new ReportUsage(1, DEPLOYMENT, 0));
        g.attest(NODE, 1);
        return g;
    }

    /** Runs blocks {@code step} apart up to {@code target}, the node attesting in each, then ends the block at {@code target}. */
    static List<Event> runAttesting(TestGrid g, long target, long step) {
        while (g.time < target) {
            g.attest(NODE, 1);
            g.endBlock(Math.min(step, target - g.time));
        }
        g.attest(NODE, 1);
        return g.endBlock(step);
    }

    static List<Event> bills(List<Event> events) {
        return events.stream().filter(e -> e instanceof Event.ContractBilled).toList();
    }

    @Test
    void oneHourOfTheStandardDeploymentCosts165000() {
        TestGrid g = gridWithContract(1_000_000, 1);
        List<Event> events = runAttesting(g, T0 + 3600, 600);
        // 1 000 000 covers 1 000 000 / (165 000 · 720 h) ≈ 0.008 months: no discount.
        assertThat(bills(events)).containsExactly(new Event.ContractBilled(1, T0, T0 + 3600, 3600, 100, 165_000));
        assertThat(g.balance(USER)).isEqualTo(835_000);
        assertThat(g.balance(FARMER)).isEqualTo(82_500); // 50 % farmer share
        assertThat(g.state.supply()).isEqualTo(new Supply(1_000_000, 82_500)); // the other half burned
    }

    @Test
    void billingIsProRataToTheSecondWhateverTheBlockTimes() {
        TestGrid g = gridWithContract(1_000_000, 1);
        g.runUntil(T0 + 3000, 1000);
        g.endBlock(605); // the next block is at T0 + 3605
        g.attest(NODE, 1); // attests window T0+3600..T0+7200 in that block
        List<Event> events = g.endBlock(600);
        // 3605 live seconds: 165 000 · 3605 / 3600 = 165 229.17, rounded down.
        assertThat(bills(events)).containsExactly(new Event.ContractBilled(1, T0, T0 + 3605, 3605, 100, 165_229));
    }

    @Test
    void balanceCoveringEighteenMonthsPaysFortyPercent() {
        // gold when balance · 3600 · 10 ≥ 180 · 165 000 · 2 592 000, i.e. balance ≥ 2 138 400 000
        TestGrid gold = gridWithContract(2_138_400_000L, 1);
        assertThat(bills(runAttesting(gold, T0 + 3600, 3600)))
                .containsExactly(new Event.ContractBilled(1, T0, T0 + 3600, 3600, 40, 66_000));
        TestGrid silver = gridWithContract(2_138_399_999L, 1);
        assertThat(bills(runAttesting(silver, T0 + 3600, 3600)))
                .containsExactly(new Event.ContractBilled(1, T0, T0 + 3600, 3600, 60, 99_000));
    }

    @Test
    void noBillForAWindowTheNodeDidNotAttest() {
        TestGrid g = TestGrid.withNode(1_000_000);
        g.ok(USER, new CreateNodeContract(1, Sha256.digest(new byte[] {7}), DEPLOYMENT, 1));
        g.ok(NODE, new ReportUsage(1, DEPLOYMENT, 0));
        g.runUntil(T0 + 3600, 600);
        assertThat(bills(g.endBlock(600))).isEmpty();
        assertThat(g.balance(USER)).isEqualTo(1_000_000);
        assertThat(g.state.contracts().get(1L).billedUntil()).isEqualTo(T0 + 3600);
    }

    @Test
    void onlyAttestedWindowsOfALongerWindowAreBilled() {
        TestGrid g = gridWithContract(1_000_000, 1);
        g.runUntil(T0 + 3000, 1000);
        g.endBlock(1000); // the bill at T0+4000 covers window 0 (attested) and 400 s of window 1 (not)
        List<Event> events = g.endBlock(600);
        assertThat(bills(events)).containsExactly(new Event.ContractBilled(1, T0, T0 + 4000, 3600, 100, 165_000));
    }

    @Test
    void cancellingBillsTheElapsedHalfHour() {
        TestGrid g = gridWithContract(1_000_000, 1);
        g.runUntil(T0 + 1800, 600);
        List<Event> events = g.ok(USER, new CancelContract(1));
        // 165 000 · 1800 / 3600 = 82 500
        assertThat(events).containsExactly(
                new Event.ContractBilled(1, T0, T0 + 1800, 1800, 100, 82_500),
                new Event.Burned(1, 41_250),
                new Event.ContractDeleted(1, 1, ContractState.DeletionReason.CANCELED_BY_USER));
        assertThat(g.balance(USER)).isEqualTo(917_500);
        assertThat(g.state.nodes().get(1L).reserved()).isEqualTo(Resources.ZERO);
        assertThat(g.state.farms().get(1L).publicIps()).allMatch(PublicIp::isFree);
    }

    @Test
    void reportedTrafficIsBilledPerGib() {
        TestGrid g = gridWithContract(1_000_000, 0);
        g.ok(TestGrid.NODE, new ReportUsage(1, Resources.ZERO, 3 * GIB));
        // no CU/SU in use, no IPs: only 3 GiB · 15 000 = 45 000
        assertThat(bills(runAttesting(g, T0 + 3600, 3600)))
                .containsExactly(new Event.ContractBilled(1, T0, T0 + 3600, 3600, 100, 45_000));
    }

    @Test
    void trafficIsBilledOnlyForTheAttestedShareOfTheWindow() {
        TestGrid g = gridWithContract(1_000_000, 0);
        g.ok(TestGrid.NODE, new ReportUsage(1, Resources.ZERO, 4 * GIB));
        // the bill at T0+4000 covers window 0 (attested) and 400 s of window 1 (not): 4 GiB · 3600/4000
        // = 3.6 GiB of it is billed, 3.6 · 15 000 = 54 000
        g.runUntil(T0 + 3000, 1000);
        g.endBlock(1000);
        assertThat(bills(g.endBlock(600))).containsExactly(new Event.ContractBilled(1, T0, T0 + 4000, 3600, 100, 54_000));
    }

    @Test
    void nameContractCosts2500AnHourAllBurned() {
        TestGrid g = TestGrid.withNode(1_000_000);
        g.ok(USER, new CreateNameContract("my-node"));
        g.runUntil(T0 + 3600, 3600);
        assertThat(bills(g.endBlock(1))).containsExactly(new Event.ContractBilled(1, T0, T0 + 3600, 3600, 100, 2_500));
        assertThat(g.balance(FARMER)).isZero();
        assertThat(g.state.supply().burned()).isEqualTo(2_500);
    }

    @Test
    void rentedNodePaysHalfTheWholeNodeAndItsDeploymentsOnlyTheirIps() {
        // node: 8 CPUs, 32 GiB, 1000 GiB SSD, 4000 GiB HDD
        // CU = min(max(32/4, 8/2), max(32/8, 8), max(32/2, 8/4)) = min(8, 8, 16) = 8 → 800 000/h
        // SU = 4000/1200 + 1000/200 = 3.333 + 5 = 8.333 (in thousandths) → 416 650/h
        // rent = (800 000 + 416 650) · 50 % = 608 325/h; the deployment pays its IPv4: 40 000/h
        TestGrid g = TestGrid.withNode(10_000_000);
        g.ok(USER, new CreateRentContract(1));
        g.ok(USER, new CreateNodeContract(1, Sha256.digest(new byte[] {7}), DEPLOYMENT, 1));
        g.ok(NODE, new ReportUsage(2, DEPLOYMENT, 0));
        g.attest(NODE, 1);
        assertThat(bills(runAttesting(g, T0 + 3600, 3600))).containsExactly(
                new Event.ContractBilled(1, T0, T0 + 3600, 3600, 100, 608_325),
                new Event.ContractBilled(2, T0, T0 + 3600, 3600, 100, 40_000));
    }
}
