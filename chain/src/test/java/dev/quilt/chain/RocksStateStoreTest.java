package dev.quilt.chain;

import static dev.quilt.chain.TestGrid.FARMER;
import static dev.quilt.chain.TestGrid.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.common.crypto.Hash256;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blocks committed to RocksDB and read back after a reopen give the same state as the in-memory ledger. */
class RocksStateStoreTest {
    @TempDir
    Path dir;

    @Test
    void committedBlocksSurviveAReopenWithTheSameRootsProofsAndReceipts() throws Exception {
        LedgerState genesis = TestGrid.devnet(Map.of(USER.publicKey(), 1_000_000L)).state;
        BlockHeader genesisHeader = BlockProducer.genesisHeader(genesis, TestGrid.T0);
        LedgerState inMemory = genesis;
        BlockHeader last = genesisHeader;
        List<SignedTransaction> all = new ArrayList<>();
        try (RocksStateStore store = RocksStateStore.open(dir)) {
            store.commitGenesis(genesis, genesisHeader);
            assertThat(store.state().stateRoot()).isEqualTo(genesis.stateRoot());
            for (int block = 1; block <= 5; block++) {
                List<SignedTransaction> txs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    txs.add(SignedTransaction.sign(USER, TestGrid.CHAIN_ID, all.size(), 1000,
                            new Transaction.Transfer(FARMER.publicKey(), 10 + i)));
                    all.add(txs.getLast());
                }
                BlockProducer.Produced inMem = BlockProducer.next(inMemory, last, txs, TestGrid.T0 + block * 6, new TreeMap<>());
                BlockProducer.Produced onDisk = BlockProducer.next(store.state(), last, txs, TestGrid.T0 + block * 6, new TreeMap<>());
                assertThat(onDisk.block().header()).isEqualTo(inMem.block().header());
                TreeMap<Long, Hash256> challenges = new TreeMap<>(Map.of((long) block - 1, TestGrid.blockHash(block - 1)));
                store.commitBlock(onDisk.block(), onDisk.state(), 1, block * 10L, challenges, List.of());
                inMemory = inMem.state();
                last = inMem.block().header();
            }
        }
        try (RocksStateStore reopened = RocksStateStore.open(dir)) {
            RocksStateStore.Head head = reopened.head().orElseThrow();
            assertThat(head.header()).isEqualTo(last);
            assertThat(head.index()).isEqualTo(50);
            LedgerState state = reopened.state();
            assertThat(state.stateRoot()).isEqualTo(inMemory.stateRoot());
            assertThat(SparseMerkleTree.of(StateEntries.of(state)).root()).isEqualTo(state.stateRoot());
            assertThat(state.account(FARMER.publicKey()).balance()).isEqualTo(5 * (10 + 11 + 12));
            byte[] key = StateKeys.account(USER.publicKey());
            assertThat(state.prove(key).provesInclusion(last.stateRoot(), key, state.entry(key).orElseThrow())).isTrue();
            Hash256 third = BlockProducer.hashOf(all.get(2));
            assertThat(reopened.inclusion(third)).contains(new RocksStateStore.Inclusion(1, 2));
            assertThat(reopened.block(3).orElseThrow().transactions()).containsExactlyElementsOf(all.subList(6, 9));
            assertThat(reopened.block(3).orElseThrow().outcomes()).allMatch(o -> o instanceof Outcome.Accepted);

            assertThat(reopened.challenges(3)).containsExactly(Map.entry(2L, TestGrid.blockHash(2)));
            assertThat(reopened.challenges(0)).isEmpty();

            HeaderSignature signature = new HeaderSignature(TestGrid.V1.publicKey(), TestGrid.V1.sign(last.hash().bytes()));
            reopened.putSignature(5, signature, 60);
            assertThat(reopened.signatures(5)).containsExactly(signature);
            assertThat(reopened.signaturesAppliedBefore(5, 60)).isEmpty();
            assertThat(reopened.signaturesAppliedBefore(5, 61)).containsExactly(signature);
        }
    }
}
