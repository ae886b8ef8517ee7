package dev.quilt.chain;

import static dev.quilt.chain.TestGrid.FARMER;
import static dev.quilt.chain.TestGrid.NODE;
import static dev.quilt.chain.TestGrid.T0;
import static dev.quilt.chain.TestGrid.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.chain.ContractState.DeletionReason;
import dev.quilt.chain.Transaction.CreateNodeContract;
import dev.quilt.chain.Transaction.Faucet;
import dev.quilt.chain.Transaction.Transfer;
import dev.quilt.common.crypto.Sha256;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A contract whose twin runs out of funds: grace period, resumed by paying, then deleted with
 * OUT_OF_FUNDS when the grace period runs out. The contract reserves one IPv4 and reports no
 * usage, so each attested hour costs 40 000. Blocks are an hour apart.
 */
class GracePeriodTest {
    static final Resources DEPLOYMENT = new Resources(2, 4 * TestGrid.GIB, 100 * TestGrid.GIB, 0);

    /** Enough to open the contract (its first hour at the requested size, 165 000); 100 000 stays after the opening. */
    final TestGrid grid = TestGrid.withNode(165_000);

    /** The node attests, and the block ends; the next starts an hour later. */
    List<Event> attestedHour() {
        grid.attest(NODE, 1);
        return grid.endBlock(3600);
    }

    @Test
    void gracePeriodThenResumeThenOutOfFunds() {
        grid.ok(USER, new CreateNodeContract(1, Sha256.digest(new byte[] {1}), DEPLOYMENT, 1));
        grid.ok(USER, new Transfer(FARMER.publicKey(), 65_000));
        assertThat(attestedHour()).isEmpty();
        assertThat(attestedHour()).contains(new Event.ContractBilled(1, T0, T0 + 3600, 3600, 100, 40_000));
        attestedHour();
        assertThat(grid.balance(USER)).isEqualTo(20_000);

        // T0+3h: 40 000 due, 20 000 held
        assertThat(attestedHour()).containsExactly(new Event.GracePeriodStarted(1, 1, 3, 40_000));
        assertThat(grid.state.contracts().get(1L).state()).isEqualTo(new ContractState.GracePeriod(T0 + 3 * 3600, 40_000));
        assertThat(grid.balance(USER)).isEqualTo(20_000);

        // T0+4h: the hour in grace adds 40 000 to the debt; a top-up in the same block pays all 80 000
        grid.ok(USER, new Faucet(100_000));
        List<Event> resumed = attestedHour();
        assertThat(resumed).containsExactly(new Event.Burned(1, 40_000), new Event.GracePeriodEnded(1, 1, 80_000));
        assertThat(grid.state.contracts().get(1L).state()).isEqualTo(ContractState.CREATED);
        assertThat(grid.balance(USER)).isEqualTo(40_000);

        // T0+5h: the twin empties its account; the next bill cannot be paid
        grid.ok(USER, new Transfer(FARMER.publicKey(), 40_000));
        assertThat(attestedHour()).containsExactly(new Event.GracePeriodStarted(1, 1, 3, 40_000));
        long graceStart = T0 + 5 * 3600;

        List<Event> waiting = grid.runUntil(graceStart + 14 * 86_400, 3600);
        assertThat(waiting).noneMatch(e -> e instanceof Event.ContractDeleted);
        assertThat(grid.endBlock(1)).containsExactly(new Event.ContractDeleted(1, 1, DeletionReason.OUT_OF_FUNDS));
        assertThat(grid.state.contracts().get(1L).state()).isEqualTo(new ContractState.Deleted(DeletionReason.OUT_OF_FUNDS));
        assertThat(grid.state.nodes().get(1L).reserved()).isEqualTo(Resources.ZERO);
        assertThat(grid.state.farms().get(1L).publicIps()).allMatch(PublicIp::isFree);
    }

    @Test
    void aTwinInGraceCanStillCancelPayingWhatItHas() {
        grid.ok(USER, new CreateNodeContract(1, Sha256.digest(new byte[] {1}), DEPLOYMENT, 1));
        grid.ok(USER, new Transfer(FARMER.publicKey(), 155_000));
        attestedHour();
        assertThat(attestedHour()).containsExactly(new Event.GracePeriodStarted(1, 1, 3, 40_000));
        grid.attest(NODE, 1);
        List<Event> events = grid.ok(USER, new Transaction.CancelContract(1));
        // 40 000 debt + 40 000 for the last hour; 10 000 is all there is, the rest is written off
        assertThat(events).containsExactly(
                new Event.ContractBilled(1, T0 + 3600, T0 + 7200, 3600, 100, 10_000),
                new Event.Burned(1, 5_000),
                new Event.ContractDeleted(1, 1, DeletionReason.CANCELED_BY_USER));
        assertThat(grid.balance(USER)).isZero();
    }
}
