package dev.quilt.chain;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** checkInvariants catches what the ledger must never produce. */
class LedgerStateTest {

    @Test
    void balancesThatDoNotMatchTheSupplyAreCaught() {
        WorkingState w = TestGrid.withNode(1_000).state.edit();
        w.credit(TestGrid.FARMER.publicKey(), 1);
        assertThatThrownBy(() -> w.freeze().checkInvariants()).isInstanceOf(IllegalStateException.class)
                .hasMessage("balances add up to 1001, supply says Supply[minted=1000, burned=0]");
    }

    @Test
    void reservationsWithoutContractsAreCaught() {
        WorkingState w = TestGrid.withNode(1_000).state.edit();
        w.nodes.put(1L, w.nodes.get(1L).withReserved(new Resources(1, 0, 0, 0)));
        assertThatThrownBy(() -> w.freeze().checkInvariants())
                .hasMessageStartingWith("node 1 reserves Resources[cru=1, mru=0, sru=0, hru=0], contracts request Resources[cru=0");
    }

    @Test
    void ipsHeldByNoContractAreCaught() {
        WorkingState w = TestGrid.withNode(1_000).state.edit();
        Farm farm = w.farms.get(1L);
        w.farms.put(1L, farm.withIps(java.util.List.of(farm.publicIps().get(0).assignedTo(9))));
        assertThatThrownBy(() -> w.freeze().checkInvariants()).hasMessage("IP 185.0.0.10/24 is held by contract 9");
    }
}
