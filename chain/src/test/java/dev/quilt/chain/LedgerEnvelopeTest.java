package dev.quilt.chain;

import static dev.quilt.chain.TestGrid.USER;
import static dev.quilt.chain.TestGrid.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.common.crypto.Ed25519KeyPair;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerEnvelopeTest {
    private final Ed25519KeyPair alice = key(10);
    private final Ed25519KeyPair bob = key(11);
    private final TestGrid grid = TestGrid.devnet(Map.of(alice.publicKey(), 1_000L));

    @Test
    void acceptedTransferMovesFundsAndConsumesTheNonce() {
        var events = grid.ok(alice, new Transaction.Transfer(bob.publicKey(), 400));
        assertThat(events).containsExactly(new Event.Transferred(alice.publicKey(), bob.publicKey(), 400));
        assertThat(grid.state.account(alice.publicKey())).isEqualTo(new Account(600, 1));
        assertThat(grid.state.account(bob.publicKey())).isEqualTo(new Account(400, 0));
    }

    @Test
    void replayedTxIsRejectedWithNonceError() {
        SignedTransaction tx = grid.sign(alice, new Transaction.Transfer(bob.publicKey(), 100));
        assertThat(grid.submit(tx)).isInstanceOf(Outcome.Accepted.class);
        LedgerState before = grid.state;
        assertThat(grid.submit(tx)).isEqualTo(Outcome.refused("wrong nonce: expected 1, got 0"));
        assertThat(grid.state).isSameAs(before);
    }

    @Test
    void nonceFromTheFutureIsRefused() {
        SignedTransaction tx = SignedTransaction.sign(alice, TestGrid.CHAIN_ID, 5, 100, new Transaction.Faucet(1));
        assertThat(grid.submit(tx)).isEqualTo(Outcome.refused("wrong nonce: expected 0, got 5"));
    }

    @Test
    void signatureForAnotherChainIsRefusedAndChangesNothing() {
        SignedTransaction tx = SignedTransaction.sign(alice, "other-chain", 0, 100, new Transaction.Transfer(bob.publicKey(), 1));
        LedgerState before = grid.state;
        assertThat(grid.submit(tx)).isEqualTo(Outcome.refused("bad signature for chain quilt-test"));
        assertThat(grid.state).isSameAs(before);
    }

    @Test
    void forgedSenderIsRefused() {
        SignedTransaction real = grid.sign(bob, new Transaction.Transfer(bob.publicKey(), 1));
        SignedTransaction forged = new SignedTransaction(alice.publicKey(), 0, real.expiresAtHeight(), real.payload(),
                real.signature());
        assertThat(grid.submit(forged)).isEqualTo(Outcome.refused("bad signature for chain quilt-test"));
    }

    @Test
    void expiredTransactionIsRefusedAndChangesNothing() {
        SignedTransaction tx = SignedTransaction.sign(alice, TestGrid.CHAIN_ID, 0, 3, new Transaction.Faucet(1));
        grid.height = 4;
        LedgerState before = grid.state;
        assertThat(grid.submit(tx)).isEqualTo(Outcome.refused("expired: valid until height 3, block is 4"));
        assertThat(grid.state).isSameAs(before);
    }

    @Test
    void refusedPayloadConsumesTheNonceAndNothingElse() {
        LedgerState before = grid.state;
        assertThat(grid.refused(alice, new Transaction.Transfer(bob.publicKey(), 5_000)))
                .isEqualTo("insufficient balance: 1000 < 5000");
        WorkingState expected = before.edit();
        expected.bumpNonce(alice.publicKey());
        assertThat(grid.state).isEqualTo(expected.freeze());
        assertThat(grid.state.account(alice.publicKey())).isEqualTo(new Account(1000, 1));
    }

    @Test
    void signedBytesRoundTripThroughTheEnvelopeEncoding() {
        SignedTransaction tx = grid.sign(USER, new Transaction.CreateTwin(java.util.Optional.of("relay.example")));
        SignedTransaction decoded = SignedTransaction.decode(tx.encode());
        assertThat(decoded).isEqualTo(tx);
        assertThat(decoded.verify(TestGrid.CHAIN_ID)).isTrue();
    }
}
