package dev.quilt.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.common.codec.CodecException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogEntryTest {
    static SignedTransaction twin(int key) {
        return SignedTransaction.sign(TestGrid.key(key), TestGrid.CHAIN_ID, 0, 99, new Transaction.CreateTwin(Optional.empty()));
    }

    @Test
    void aBatchRoundTripsInItsOrder() {
        LogEntry.Batch batch = new LogEntry.Batch(List.of(twin(11), twin(12), twin(13)));
        LogEntry decoded = LogEntry.decode(batch.encode());
        assertThat(decoded).isInstanceOf(LogEntry.Batch.class);
        assertThat(((LogEntry.Batch) decoded).transactions()).containsExactlyElementsOf(batch.transactions());
    }

    @Test
    void aBatchIsFramedAsTagCountAndLengthPrefixedTransactions() {
        SignedTransaction tx = twin(11);
        byte[] encoded = new LogEntry.Batch(List.of(tx)).encode();
        String hex = HexFormat.of().formatHex(encoded);
        assertThat(hex).startsWith("04" + "00000001" + String.format("%08x", tx.encode().length));
        assertThat(hex).endsWith(HexFormat.of().formatHex(tx.encode()));
    }

    @Test
    void anEmptyBatchIsRefusedBothWays() {
        assertThatThrownBy(() -> new LogEntry.Batch(List.of())).hasMessageContaining("batch of 0");
        assertThatThrownBy(() -> LogEntry.decode(HexFormat.of().parseHex("0400000000"))).isInstanceOf(CodecException.class)
                .hasMessageContaining("empty batch");
    }
}
