package dev.quilt.chain;

import static dev.quilt.chain.TestGrid.FARMER;
import static dev.quilt.chain.TestGrid.NODE;
import static dev.quilt.chain.TestGrid.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rewards per day (24 one-hour windows), paid at ≥ 950 ‰ attested uptime: 23 of 24 windows is
 * 958 ‰ and is paid; 22 of 24 is 916 ‰ and is not.
 *
 * <p>The node (8 CPUs, 32 GiB, 1000 GiB SSD, 4000 GiB HDD) weighs
 * CU = 2 · min(8·2, (32−1)/4, 1000/50) = 2 · min(16, 7, 20) = 14, SU = 4000/1200 + 1000/250 = 3 + 4 = 7,
 * weight = 2·14 + 7 = 35, so a full day pays 35 · 10 = 350.
 */
class UptimeRewardTest {

    /** Runs one day of hourly blocks starting at T0, the node attesting in all hours but {@code missed}. */
    static TestGrid dayMissing(int missed) {
        TestGrid g = TestGrid.withNode(0);
        for (int hour = 0; hour < 24; hour++) {
            if (hour >= missed) {
                assertThat(g.attest(NODE, 1)).isInstanceOf(Outcome.Accepted.class);
            }
            g.endBlock(3600);
        }
        return g;
    }

    @Test
    void nodeWeightIsTheReferenceFormula() {
        assertThat(NodeWeight.of(TestGrid.NODE_CAPACITY)).isEqualTo(35);
    }

    @Test
    void ninetyFiveAndAHalfPercentIsRewardedWithAReceipt() {
        TestGrid g = dayMissing(1);
        List<Event> events = g.endBlock(1);
        assertThat(events).containsExactly(new Event.FarmerRewarded(1, 1, T0, T0 + 86_400, 958, 350));
        assertThat(g.balance(FARMER)).isEqualTo(350);
        assertThat(g.state.supply().minted()).isEqualTo(350);
        assertThat(g.state.rewardPeriodStart()).isEqualTo(T0 + 86_400);
    }

    @Test
    void ninetyOnePercentIsWithheldWithAReceipt() {
        TestGrid g = dayMissing(2);
        assertThat(g.endBlock(1)).containsExactly(new Event.RewardWithheld(1, T0, T0 + 86_400, 916));
        assertThat(g.balance(FARMER)).isZero();
    }

    @Test
    void attestingTheSameWindowTwiceCountsOnce() {
        TestGrid g = TestGrid.withNode(0);
        g.endBlock(600);
        assertThat(g.attest(NODE, 1)).isEqualTo(Outcome.accepted(new Event.UptimeAttested(1, T0 / 3600)));
        g.endBlock(600);
        assertThat(g.attest(NODE, 1)).isEqualTo(Outcome.accepted(new Event.UptimeAttested(1, T0 / 3600)));
        assertThat(g.state.nodes().get(1L).attestedWindows()).containsExactly(T0 / 3600);
    }

    @Test
    void attestationsOutsideTheDeadlineCannotBeSavedUp() {
        TestGrid g = TestGrid.withNode(0);
        g.runUntil(T0 + 30 * 6, 6); // 30 blocks later
        var old = new Transaction.AttestUptime(1, 2, TestGrid.blockHash(2));
        assertThat(g.submit(NODE, old)).isInstanceOf(Outcome.Refused.class);
        assertThat(g.state.nodes().get(1L).attestedWindows()).isEmpty();
    }

    @Test
    void windowsNoLongerNeededArePrunedAfterTheRewardPeriod() {
        TestGrid g = dayMissing(0);
        g.endBlock(1);
        assertThat(g.state.nodes().get(1L).attestedWindows()).isEmpty();
    }
}
