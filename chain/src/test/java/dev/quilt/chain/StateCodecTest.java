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
        byte[] vector = GoldenVectors.bytes("state-grid-with-node-v2.hex");
        assertThat(HexFormat.of().formatHex(state.encode())).isEqualTo(HexFormat.of().formatHex(vector));
        assertThat(LedgerState.decode(vector)).isEqualTo(state);
    }

    @Test
    void aVersionOneStateFromBeforeSnapshotRecordsStillDecodes() {
        LedgerState state = TestGrid.withNode(1_000_000).state;
        assertThat(LedgerState.decode(GoldenVectors.bytes("state-grid-with-node-v1.hex"))).isEqualTo(state);
    }

    @Test
    void stateWithSnapshotRecordsRoundTrips() {
        TestGrid g = TestGrid.withNode(1_000);
        g.ok(TestGrid.USER, SnapshotRecordTest.publish("media", SnapshotRecordTest.M1, 10));
        g.ok(TestGrid.FARMER, new Transaction.PublishSnapshot("farm.state", SnapshotRecordTest.M2, 20,
                java.util.Optional.of("quilt-main"), java.util.Optional.of(9L)));
        LedgerState decoded = LedgerState.decode(g.state.encode());
        assertThat(decoded).isEqualTo(g.state);
        assertThat(decoded.snapshots()).isEqualTo(g.state.snapshots());
    }

    @Test
    void stateWithContractsInEveryLifecycleStateRoundTrips() {
        TestGrid g = BillingTest.gridWithContract(165_000, 1);
        g.ok(TestGrid.USER, new Transaction.Transfer(TestGrid.FARMER.publicKey(), 65_000));
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
        byte[] vector = GoldenVectors.bytes("state-grid-with-node-v2.hex");
        byte[] v3 = vector.clone();
        v3[0] = 3;
        assertThatThrownBy(() -> LedgerState.decode(v3)).isInstanceOf(CodecException.class)
                .hasMessage("state.version at offset 0: unsupported state version 3");
        assertThatThrownBy(() -> LedgerState.decode(Arrays.copyOf(vector, vector.length + 1)))
                .hasMessage("end at offset " + vector.length + ": 1 trailing bytes");
    }
}
