package dev.quilt.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.common.codec.CodecException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class StateCodecTest {

    @Test
    void gridWithANodeMatchesItsGoldenVector() {
        LedgerState state = TestGrid.withNode(1_000_000).state;
        byte[] vector = GoldenVectors.bytes("state-grid-with-node-v1.hex");
        assertThat(HexFormat.of().formatHex(state.encode())).isEqualTo(HexFormat.of().formatHex(vector));
        assertThat(LedgerState.decode(vector)).isEqualTo(state);
    }

    @Test
    void stateWithContractsInEveryLifecycleStateRoundTrips() {
        TestGrid g = BillingTest.gridWithContract(100_000, 1);
        g.ok(TestGrid.USER, new Transaction.CreateNameContract("web"));
        g.ok(TestGrid.USER, new Transaction.CancelContract(2));
        g.ok(TestGrid.V1, new Transaction.Propose(new ProposalAction.SetGracePeriod(60), 0, 3600));
        g.ok(TestGrid.V1, new Transaction.Vote(1, java.util.Optional.empty(), true));
        g.runUntil(TestGrid.T0 + 7200, 3600);
        g.endBlock(1);
        assertThat(g.state.contracts().get(1L).state()).isInstanceOf(ContractState.GracePeriod.class);
        assertThat(LedgerState.decode(g.state.encode())).isEqualTo(g.state);
        assertThat(LedgerState.decode(g.state.encode()).hash()).isEqualTo(g.state.hash());
    }

    @Test
    void rejectsAnUnknownVersionAndTrailingBytes() {
        byte[] vector = GoldenVectors.bytes("state-grid-with-node-v1.hex");
        byte[] v2 = vector.clone();
        v2[0] = 2;
        assertThatThrownBy(() -> LedgerState.decode(v2)).isInstanceOf(CodecException.class)
                .hasMessage("state.version at offset 0: unsupported state version 2");
        assertThatThrownBy(() -> LedgerState.decode(Arrays.copyOf(vector, vector.length + 1)))
                .hasMessage("end at offset " + vector.length + ": 1 trailing bytes");
    }
}
