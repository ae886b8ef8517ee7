package dev.quilt.chain;

import static dev.quilt.chain.TestGrid.FARMER;
import static dev.quilt.chain.TestGrid.NODE;
import static dev.quilt.chain.TestGrid.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Hash256;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A light client following blocks made by {@link BlockProducer} from a real ledger, with four
 * validators (f = 1, quorum 3), one of which lies.
 */
class LightClientTest {
    static final Ed25519KeyPair A = TestGrid.key(301);
    static final Ed25519KeyPair B = TestGrid.key(302);
    static final Ed25519KeyPair C = TestGrid.key(303);
    static final Ed25519KeyPair LIAR = TestGrid.key(304);
    static final Ed25519KeyPair NEWCOMER = TestGrid.key(305);

    LedgerState state;
    BlockHeader genesis;
    BlockHeader last;
    long time = TestGrid.T0;
    LightClient client;

    @BeforeEach
    void genesis() {
        ChainParameters params = TestGrid.params(0, List.of(A, B, C, LIAR));
        state = LedgerState.genesis(params, List.of(TestGrid.POLICY), Map.of(USER.publicKey(), 1_000_000L), time);
        genesis = BlockProducer.genesisHeader(state, time);
        last = genesis;
        client = new LightClient(genesis, ValidatorSet.of(params));
    }

    SignedTransaction tx(Ed25519KeyPair from, Transaction payload, List<SignedTransaction> sameBlock) {
        long pending = sameBlock.stream().filter(t -> t.sender().equals(from.publicKey())).count();
        return SignedTransaction.sign(from, TestGrid.CHAIN_ID, state.account(from.publicKey()).nonce() + pending,
                last.height() + 5, payload);
    }

    Block block(long seconds, List<SignedTransaction> txs) {
        time += seconds;
        BlockProducer.Produced p = BlockProducer.next(state, last, txs, time, new TreeMap<Long, Hash256>());
        p.block().outcomes().forEach(o -> assertThat(o).isInstanceOf(Outcome.Accepted.class));
        state = p.state();
        last = p.block().header();
        return p.block();
    }

    Block transfer(long amount) {
        List<SignedTransaction> txs = new ArrayList<>();
        txs.add(tx(USER, new Transaction.Transfer(FARMER.publicKey(), amount), txs));
        return block(6, txs);
    }

    static CertifiedHeader signedBy(BlockHeader h, Ed25519KeyPair... keys) {
        List<HeaderSignature> sigs = new ArrayList<>();
        for (Ed25519KeyPair k : keys) {
            sigs.add(new HeaderSignature(k.publicKey(), k.sign(h.hash().bytes())));
        }
        return new CertifiedHeader(h, sigs);
    }

    static LightClient.Verdict.Refused refusal(String reason) {
        return new LightClient.Verdict.Refused(reason);
    }

    @Test
    void followsFinalHeadersAndVerifiesEntriesAndAbsencesUnderThem() {
        BlockHeader h1 = transfer(10).header();
        assertThat(client.offer(signedBy(h1, A, B, C), Optional.empty())).isEqualTo(new LightClient.Verdict.Accepted(h1));
        BlockHeader h2 = transfer(20).header();
        assertThat(client.offer(signedBy(h2, A, C, LIAR), Optional.empty())).isEqualTo(new LightClient.Verdict.Accepted(h2));
        assertThat(client.latest()).isEqualTo(h2);

        byte[] key = StateKeys.account(FARMER.publicKey());
        byte[] value = state.entry(key).orElseThrow();
        assertThat(client.verifyEntry(h2, key, value, state.prove(key))).isTrue();
        assertThat(client.verifyEntry(h2, key, new byte[16], state.prove(key))).isFalse();
        assertThat(client.verifyEntry(h1, key, value, state.prove(key))).as("proof of a later state").isFalse();
        byte[] absent = StateKeys.contract(1);
        assertThat(client.verifyAbsence(h2, absent, state.prove(absent))).isTrue();
        BlockHeader unaccepted = transfer(30).header();
        assertThat(client.verifyEntry(unaccepted, key, state.entry(key).orElseThrow(), state.prove(key))).isFalse();
    }

    @Test
    void refusesTooFewSignersAndForgedSignatures() {
        BlockHeader h1 = transfer(10).header();
        assertThat(client.offer(signedBy(h1, A, B), Optional.empty()))
                .isEqualTo(refusal("too few valid signatures: 2 of 4 validators (expected: >= 3)"));
        // Outsiders' signatures, a repeated signer, and bytes that are not a signature of this header count for nothing.
        HeaderSignature forged = new HeaderSignature(C.publicKey(), A.sign(h1.hash().bytes()));
        CertifiedHeader padded = new CertifiedHeader(h1, List.of(
                signedBy(h1, A).signatures().get(0), signedBy(h1, A).signatures().get(0), forged,
                signedBy(h1, NEWCOMER).signatures().get(0), signedBy(genesis, B).signatures().get(0)));
        assertThat(padded.validSigners(client.validators())).isEqualTo(1);
        assertThat(client.offer(padded, Optional.empty()))
                .isEqualTo(refusal("too few valid signatures: 1 of 4 validators (expected: >= 3)"));
        assertThat(client.latest()).isEqualTo(genesis);
    }

    @Test
    void aLyingMinorityCannotCertifyAForgedHeaderNorBreakTheChain() {
        BlockHeader honest = transfer(10).header();
        // The liar signs a header with a state root of its choosing, and an honest validator that is fooled signs it too.
        BlockHeader forged = new BlockHeader(honest.chainId(), honest.height(), honest.time(), honest.previousHash(),
                honest.transactionsRoot(), Hash256.ZERO, honest.validatorSetHash(), honest.nextValidatorSetHash());
        assertThat(client.offer(signedBy(forged, LIAR, A), Optional.empty()))
                .isEqualTo(refusal("too few valid signatures: 2 of 4 validators (expected: >= 3)"));
        assertThat(client.offer(signedBy(honest, A, B, C), Optional.empty())).isInstanceOf(LightClient.Verdict.Accepted.class);
        // A second certified header at an accepted height is evidence, never a replacement.
        assertThat(client.offer(signedBy(forged, LIAR, A, B, C), Optional.empty())).isEqualTo(refusal(
                "conflicting header at height 1: accepted " + honest.hash() + ", offered " + forged.hash()));
        assertThat(client.latest()).isEqualTo(honest);
    }

    @Test
    void refusesHeadersThatDoNotLink() {
        BlockHeader h1 = transfer(10).header();
        BlockHeader h2 = transfer(10).header();
        assertThat(client.offer(signedBy(h2, A, B, C), Optional.empty())).isEqualTo(refusal("height: 2 (expected: 1)"));
        BlockHeader unlinked = new BlockHeader(h1.chainId(), 1, h1.time(), Hash256.ZERO, h1.transactionsRoot(),
                h1.stateRoot(), h1.validatorSetHash(), h1.nextValidatorSetHash());
        assertThat(client.offer(signedBy(unlinked, A, B, C), Optional.empty()))
                .isEqualTo(refusal("previous hash: " + Hash256.ZERO + " (expected: " + genesis.hash() + ")"));
    }

    @Test
    void followsAValidatorSetChangedByGovernance() {
        List<SignedTransaction> setup = new ArrayList<>();
        setup.add(tx(FARMER, new Transaction.CreateTwin(Optional.empty()), setup));
        setup.add(tx(NODE, new Transaction.CreateTwin(Optional.empty()), setup));
        setup.add(tx(FARMER, new Transaction.CreateFarm("farm-one"), setup));
        setup.add(tx(NODE, new Transaction.RegisterNode(1, TestGrid.NODE_CAPACITY, new Location("BE", "Ghent"), "n:1"), setup));
        List<Ed25519KeyPair> next = List.of(A, B, C, NEWCOMER);
        setup.add(tx(A, new Transaction.Propose(new ProposalAction.SetValidators(next.stream().map(Ed25519KeyPair::publicKey).toList()), 0, 3600), setup));
        for (Ed25519KeyPair member : List.of(A, B, C)) {
            setup.add(tx(member, new Transaction.Vote(1, Optional.empty(), true), setup));
        }
        setup.add(tx(FARMER, new Transaction.Vote(1, Optional.of(1L), true), setup));
        BlockHeader h1 = block(6, setup).header();
        assertThat(client.offer(signedBy(h1, A, B, LIAR), Optional.empty())).isInstanceOf(LightClient.Verdict.Accepted.class);

        BlockHeader h2 = block(3600, List.of()).header(); // the proposal closes and the new set is enacted
        ValidatorSet newSet = new ValidatorSet(next.stream().map(Ed25519KeyPair::publicKey).toList());
        assertThat(h2.nextValidatorSetHash()).isEqualTo(newSet.hash());
        assertThat(client.offer(signedBy(h2, A, B, C), Optional.empty())).isEqualTo(refusal(
                "next validator set: header commits to " + newSet.hash() + ", given none"));
        assertThat(client.offer(signedBy(h2, A, B, C), Optional.of(newSet))).isInstanceOf(LightClient.Verdict.Accepted.class);

        BlockHeader h3 = transfer(5).header();
        assertThat(client.offer(signedBy(h3, A, B, LIAR), Optional.empty()))
                .as("the removed validator no longer counts")
                .isEqualTo(refusal("too few valid signatures: 2 of 4 validators (expected: >= 3)"));
        assertThat(client.offer(signedBy(h3, A, B, NEWCOMER), Optional.empty())).isInstanceOf(LightClient.Verdict.Accepted.class);
    }
}
