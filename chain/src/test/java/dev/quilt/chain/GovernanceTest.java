package dev.quilt.chain;

import static dev.quilt.chain.TestGrid.FARMER;
import static dev.quilt.chain.TestGrid.GIB;
import static dev.quilt.chain.TestGrid.T0;
import static dev.quilt.chain.TestGrid.USER;
import static dev.quilt.chain.TestGrid.V1;
import static dev.quilt.chain.TestGrid.V2;
import static dev.quilt.chain.TestGrid.V3;
import static dev.quilt.chain.TestGrid.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.chain.Transaction.Propose;
import dev.quilt.chain.Transaction.Vote;
import dev.quilt.common.crypto.Ed25519KeyPair;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Council majority plus farm votes weighted by capacity (farm 1 weighs 35, see UptimeRewardTest). */
class GovernanceTest {
    final TestGrid grid = TestGrid.withNode(0);

    List<Event> closeAfterAnHour() {
        grid.runUntil(T0 + 3600, 600);
        return grid.endBlock(1);
    }

    @Test
    void councilMajorityAndFarmWeightPassABillingPeriodChange() {
        grid.ok(V1, new Propose(new ProposalAction.SetBillingPeriod(7200), 1, 3600));
        grid.ok(V1, new Vote(1, Optional.empty(), true));
        grid.ok(V2, new Vote(1, Optional.empty(), true));
        assertThat(grid.ok(FARMER, new Vote(1, Optional.of(1L), true)))
                .containsExactly(new Event.VoteCast(1, FARMER.publicKey(), true, 35));
        assertThat(closeAfterAnHour()).containsExactly(new Event.ProposalClosed(1, true,
                "council 2/3 aye, 1 farms voted (quorum 1), weight 35 aye vs 0 nay"));
        assertThat(grid.state.params().billingPeriodSeconds()).isEqualTo(7200);
        assertThat(grid.state.proposals().get(1L).status()).isEqualTo(Proposal.Status.APPROVED);
    }

    @Test
    void councilMinorityFails() {
        grid.ok(V1, new Propose(new ProposalAction.SetGracePeriod(86_400), 0, 3600));
        grid.ok(V1, new Vote(1, Optional.empty(), true));
        grid.ok(V2, new Vote(1, Optional.empty(), false));
        grid.ok(FARMER, new Vote(1, Optional.of(1L), true));
        assertThat(closeAfterAnHour()).containsExactly(new Event.ProposalClosed(1, false,
                "council 1/3 aye, 1 farms voted (quorum 0), weight 35 aye vs 0 nay"));
        assertThat(grid.state.params().gracePeriodSeconds()).isEqualTo(14 * 86_400);
    }

    @Test
    void aHeavierFarmOutweighsALighterOne() {
        Ed25519KeyPair bigNode = key(50);
        grid.ok(USER, new Transaction.CreateFarm("big-farm"));
        grid.ok(bigNode, new Transaction.CreateTwin(Optional.empty()));
        // CU = 2 · min(32, (128−1)/4, 4000/50) = 2 · 31 = 62; SU = 0 + 4000/250 = 16; weight = 140
        grid.ok(bigNode, new Transaction.RegisterNode(2, new Resources(16, 128 * GIB, 4000 * GIB, 0),
                new Location("NL", "Delft"), "big.example:9000"));
        grid.ok(V1, new Propose(new ProposalAction.SetBillingPeriod(600), 2, 3600));
        grid.ok(V1, new Vote(1, Optional.empty(), true));
        grid.ok(V2, new Vote(1, Optional.empty(), true));
        grid.ok(V3, new Vote(1, Optional.empty(), true));
        grid.ok(FARMER, new Vote(1, Optional.of(1L), true));
        grid.ok(USER, new Vote(1, Optional.of(2L), false));
        assertThat(closeAfterAnHour()).containsExactly(new Event.ProposalClosed(1, false,
                "council 3/3 aye, 2 farms voted (quorum 2), weight 35 aye vs 140 nay"));
    }

    @Test
    void tooFewFarmsFailTheQuorum() {
        grid.ok(V1, new Propose(new ProposalAction.SetBillingPeriod(600), 2, 3600));
        grid.ok(V1, new Vote(1, Optional.empty(), true));
        grid.ok(V2, new Vote(1, Optional.empty(), true));
        grid.ok(FARMER, new Vote(1, Optional.of(1L), true));
        assertThat(closeAfterAnHour()).extracting(e -> ((Event.ProposalClosed) e).approved()).containsExactly(false);
    }

    @Test
    void approvedPolicyAndValidatorSetTakeEffect() {
        PricingPolicy cheap = new PricingPolicy(2, "cheap", 50_000, 25_000, 10_000, 20_000, 1_000, 50);
        grid.ok(V1, new Propose(new ProposalAction.SetPricingPolicy(cheap), 0, 3600));
        grid.ok(V1, new Propose(new ProposalAction.SetValidators(List.of(V1.publicKey(), V2.publicKey())), 0, 3600));
        for (Ed25519KeyPair member : List.of(V1, V2)) {
            grid.ok(member, new Vote(1, Optional.empty(), true));
            grid.ok(member, new Vote(2, Optional.empty(), true));
        }
        grid.ok(FARMER, new Vote(1, Optional.of(1L), true));
        grid.ok(FARMER, new Vote(2, Optional.of(1L), true));
        closeAfterAnHour();
        assertThat(grid.state.pricingPolicies()).containsKey(2L);
        assertThat(grid.state.params().validators()).containsExactlyElementsOf(
                List.of(V1.publicKey(), V2.publicKey()).stream().sorted().toList());
        grid.ok(FARMER, new Transaction.SetFarmPricing(1, 2));
        assertThat(grid.state.farms().get(1L).pricingPolicyId()).isEqualTo(2);
    }
}
