package dev.quilt.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.testkit.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A validator whose header signatures are lost on the way to the log (as in a leader change) sends
 * them again: with one validator, a lost signature would otherwise leave its block short of a
 * quorum for good.
 */
class ChainSignatureResendIT {
    @TempDir
    Path dir;

    @Test
    void lostSignaturesAreSentAgainAndTheirBlocksBecomeFinal() throws Exception {
        try (ChainCluster cluster = new ChainCluster(dir, List.of(TestGrid.key(801)), 0, Map.of()).startAll()) {
            ChainNode v1 = cluster.node("v1");
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
}
