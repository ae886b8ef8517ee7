package dev.quilt.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed log entries on a one-validator chain. Cuts from another key, or replayed at another
 * height, end no block. Header signature entries: a validator whose header signatures are lost on the way to the log (as in a leader change) sends
 * them again: with one validator, a lost signature would otherwise leave its block short of a
 * quorum for good.
 */
class ChainSignedEntriesIT {
    @TempDir
    Path dir;

    @Test
    void lostSignaturesAreSentAgainAndTheirBlocksBecomeFinal() throws Exception {
        try (ChainCluster cluster = new ChainCluster(dir, List.of(TestGrid.key(801)), 0, Map.of()).startAll()) {
            ChainNode v1 = cluster.node("v1");
            forgedSignaturesAreRefused(v1);
            forgedAndReplayedCutsEndNoBlock(v1);
            Await.until(() -> v1.head().height() >= 2 && v1.isFinal(v1.head().height() - 1), Duration.ofSeconds(60),
                    () -> "head " + v1.head().height());
            long from = v1.head().height() + 1;
            v1.loseNextSignatures(3);
            Await.until(() -> v1.head().height() >= from + 6, Duration.ofSeconds(60), () -> "head " + v1.head().height());
            Await.until(() -> LongStream.rangeClosed(from, from + 4).allMatch(v1::isFinal), Duration.ofSeconds(60),
                    () -> "not final: " + LongStream.rangeClosed(from, from + 4).filter(h -> !v1.isFinal(h)).boxed().toList());
            // Each block has exactly one signature from the one validator: resent, never doubled.
            assertThat(LongStream.rangeClosed(from, from + 4).mapToObj(v1::signatures)).allMatch(s -> s.size() == 1);
        }
    }

    void forgedAndReplayedCutsEndNoBlock(ChainNode v1) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        var outsider = TestGrid.key(803);
        assertThatThrownBy(() -> v1.submitEntry(LogEntry.Cut.sign(outsider, TestGrid.CHAIN_ID, v1.head().height() + 1, now)).join())
                .hasMessageContaining("cut: signer " + outsider.publicKey().hex() + " is not a validator");
        // The validator's own cut for a height already cut: in the log, but it ends no block.
        long stale = v1.head().height();
        String replayed = v1.submitEntry(LogEntry.Cut.sign(TestGrid.key(801), TestGrid.CHAIN_ID, stale, now)).join();
        assertThat(replayed).startsWith("refused cut for height " + stale + ": the next block is ");
        LogEntry.Cut real = LogEntry.Cut.sign(TestGrid.key(801), TestGrid.CHAIN_ID, stale + 1, now);
        LogEntry.Cut otherTime = new LogEntry.Cut(now + 1, real.height(), real.signature());
        assertThatThrownBy(() -> v1.submitEntry(otherTime).join()).hasMessageContaining("cut: bad signature for chain");
    }

    /**
     * On the same chain: a signature entry that does not verify over the stored header is applied
     * as a refusal, the same on every replica, and one from outside the validator set never reaches
     * the log.
     */
    void forgedSignaturesAreRefused(ChainNode v1) throws Exception {
        Await.until(() -> v1.head().height() >= 2, Duration.ofSeconds(60), () -> "head " + v1.head().height());
        long h = 1;
        List<HeaderSignature> before = v1.signatures(h);
        byte[] garbage = new byte[64];
        garbage[0] = 1;
        String forged = v1.submitEntry(new LogEntry.Signature(h, new HeaderSignature(TestGrid.key(801).publicKey(), garbage))).join();
        assertThat(forged).isEqualTo("refused signature 1: does not verify over the stored header");
        BlockHeader header = v1.block(h).orElseThrow().header();
        var outsider = TestGrid.key(802);
        assertThatThrownBy(() -> v1.submitEntry(new LogEntry.Signature(h,
                new HeaderSignature(outsider.publicKey(), outsider.sign(header.hash().bytes())))).join())
                .hasMessageContaining("signer " + outsider.publicKey().hex() + " is not a validator");
        assertThat(v1.signatures(h)).isEqualTo(before);
    }
}
