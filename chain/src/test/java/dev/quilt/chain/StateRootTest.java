package dev.quilt.chain;

import static dev.quilt.chain.TestGrid.FARMER;
import static dev.quilt.chain.TestGrid.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.common.crypto.Hash256;
import org.junit.jupiter.api.Test;

class StateRootTest {

    @Test
    void anAccountIsProvenUnderTheStateRootAndTheProofGoesStaleWhenItChanges() {
        TestGrid g = TestGrid.withNode(1_000_000);
        Hash256 root = g.state.stateRoot();
        byte[] key = StateKeys.account(USER.publicKey());
        byte[] value = g.state.entry(key).orElseThrow();
        assertThat(value).isEqualTo(new dev.quilt.common.codec.CanonicalWriter().int64(1_000_000).int64(1).toByteArray());
        MerkleProof proof = g.state.prove(key);
        assertThat(proof.provesInclusion(root, key, value)).isTrue();

        g.ok(USER, new Transaction.Transfer(FARMER.publicKey(), 10));
        assertThat(g.state.stateRoot()).isNotEqualTo(root);
        assertThat(proof.provesInclusion(g.state.stateRoot(), key, value)).isFalse();
    }

    @Test
    void aContractThatDoesNotExistIsProvenAbsent() {
        TestGrid g = TestGrid.withNode(1_000_000);
        byte[] key = StateKeys.contract(1);
        assertThat(g.state.entry(key)).isEmpty();
        assertThat(g.state.prove(key).provesAbsence(g.state.stateRoot(), key)).isTrue();
    }

    @Test
    void equalStatesHaveEqualRoots() {
        assertThat(TestGrid.withNode(5).state.stateRoot()).isEqualTo(TestGrid.withNode(5).state.stateRoot());
        assertThat(TestGrid.withNode(5).state.stateRoot()).isNotEqualTo(TestGrid.withNode(6).state.stateRoot());
    }
}
