package dev.quilt.chain;

import static dev.quilt.chain.TestGrid.NODE;
import static dev.quilt.chain.TestGrid.T0;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A node counts as up in the window it attested and the one after, and not later. */
class NodeUptimeTest {

    @Test
    void upInTheAttestedWindowAndTheNextOnly() {
        TestGrid g = TestGrid.withNode(0);
        g.runUntil(T0 + 1800, 600);
        assertThat(g.attest(NODE, 1)).isInstanceOf(Outcome.Accepted.class);
        g.endBlock(1);
        Node node = g.state.node(1).orElseThrow();
        long window = g.state.params().uptimeWindowSeconds();

        assertThat(node.isUpAt(T0 + 1800, window)).isTrue();
        assertThat(node.isUpAt(T0 + window - 1, window)).isTrue();
        assertThat(node.isUpAt(T0 + window + 5, window)).as("the next window").isTrue();
        assertThat(node.isUpAt(T0 + 2 * window + 5, window)).as("two windows later").isFalse();
        assertThat(node.isUpAt(T0 - 1, window)).as("before it attested").isFalse();
    }
}
